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
for _model in (NationalSecurityPlan, Ambition):
    simple_history.register(_model)
