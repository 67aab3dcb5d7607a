import simple_history
from modeltranslation.translator import TranslationOptions, register

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon


@register(SecurityCluster)
class SecurityClusterTranslation(TranslationOptions):
    fields = ("name",)


@register(SecurityPhenomenon)
class SecurityPhenomenonTranslation(TranslationOptions):
    fields = ("name", "key_point")


@register(CrossCuttingTheme)
class CrossCuttingThemeTranslation(TranslationOptions):
    fields = ("name", "key_point")


# History after translation, so the historical tables carry every language's column; ``loaded_values`` is the
# loader's bookkeeping, not reference data.
for _model in (SecurityCluster, SecurityPhenomenon, CrossCuttingTheme):
    simple_history.register(_model, m2m_fields=["previous"], excluded_fields=["loaded_values"])
