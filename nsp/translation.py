import simple_history
from modeltranslation.translator import TranslationOptions, register

from nsp.models import Ambition, NationalSecurityPlan


@register(NationalSecurityPlan)
class NationalSecurityPlanTranslation(TranslationOptions):
    fields = ("title", "motto", "summary")


@register(Ambition)
class AmbitionTranslation(TranslationOptions):
    fields = ("title", "text")


# History after translation, so the historical tables carry every language's column.
# ``loaded_values`` is the loader's bookkeeping, not reference data: it stays out of history.
for _model in (NationalSecurityPlan, Ambition):
    simple_history.register(_model, excluded_fields=["loaded_values"])
