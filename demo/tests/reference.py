"""The slice of reference data the demo needs, built with the test factories.

The shape of the NSP 2016-2019 (3 ambitions, 10 clusters, 10 phenomena, 7 themes) and the demo zones with
their districts, named as in the zone data. Used while the real loaders (``clusters.reference``,
``zones.importer``) are not available, so the seed's own behaviour can be tested on its own.
"""

from __future__ import annotations

import datetime as dt

from tests.factories import (
    AmbitionFactory,
    CrossCuttingThemeFactory,
    DistrictFactory,
    NationalSecurityPlanFactory,
    PoliceZoneFactory,
    SecurityClusterFactory,
    SecurityPhenomenonFactory,
)

BRUSSELS = ("Brussels-Capital", "", "brussel-bruxelles")
# number, name_nl, name_fr, (region, province, district code)
ZONES = (
    ("5339", "PZ Brussel Hoofdstad Elsene", "Bruxelles Capitale/Ixelles", BRUSSELS),
    ("5340", "PZ Brussel-West", "Bruxelles-Ouest", BRUSSELS),
    ("5341", "PZ Zuid", "Midi", BRUSSELS),
    ("5342", "PZ Ukkel - W-B - Oudergem", "Uccle/W-B/Auderghem", BRUSSELS),
    ("5343", "PZ Montgomery", "Montgomery", BRUSSELS),
    ("5344", "PZ Schaarbeek - St.Joost - Evere", "Schaerbeek/Saint-Josse/Evere", BRUSSELS),
    ("5415", "PZ Gent", "", ("Flanders", "East Flanders", "oost-vlaanderen")),
    ("5314", "", "Condroz-Famenne", ("Wallonia", "Namur", "namur")),
)
DISTRICTS = {"brussel-bruxelles": "Brussel/Bruxelles", "oost-vlaanderen": "Oost-Vlaanderen", "namur": "Namur"}


def build_reference() -> None:
    nsp = NationalSecurityPlanFactory(
        code="nsp-2016-2019",
        title="National Security Plan 2016-2019",
        period_start=dt.date(2016, 1, 1),
        period_end=dt.date(2019, 12, 31),
    )
    for number in (1, 2, 3):
        AmbitionFactory(nsp=nsp, number=number, title=f"Ambition {number}")
    for number in range(1, 11):
        cluster = SecurityClusterFactory(nsp=nsp, number=number, name=f"Cluster {number}")
        SecurityPhenomenonFactory(nsp=nsp, cluster=cluster, number=number, name=f"Phenomenon {number}")
    for number in range(1, 8):
        CrossCuttingThemeFactory(nsp=nsp, number=number, name=f"Theme {number}")
    districts = {code: DistrictFactory(code=code, name=name) for code, name in DISTRICTS.items()}
    for number, name_nl, name_fr, (region, province, district) in ZONES:
        PoliceZoneFactory(
            number=number,
            key=number,
            name_nl=name_nl,
            name_fr=name_fr,
            region=region,
            province=province,
            district=districts[district],
        )
