"""The civil-status acts a service may deliver (its « Acte d'état civil »);
``requests/civil_status.py`` holds the rules applied to their requests."""

from illkirch.eservices import _
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


ACTS = SimpleVocabulary(
    [
        SimpleTerm(
            "", "none", _("act_none", default="None (not a civil-status service)")
        ),
        SimpleTerm("birth", "birth", _("act_birth", default="Birth act")),
        SimpleTerm("marriage", "marriage", _("act_marriage", default="Marriage act")),
        SimpleTerm("death", "death", _("act_death", default="Death act")),
    ]
)
