"""The portal's name: the federation of the district that runs it.

The district is a setting (``PORTAL_DISTRICT``, and ``PORTAL_DISTRICT_EN`` for
English pages) so that every deployment names its own federation in page
titles, the header, e-mails and PDFs.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def district() -> str:
    """The district's name in the active language."""
    if (get_language() or "").startswith("en"):
        return settings.PORTAL_DISTRICT_EN or settings.PORTAL_DISTRICT
    return settings.PORTAL_DISTRICT


def federation_name() -> str:
    """e.g. 示例区残疾人联合会 / Example District Disabled Persons' Federation."""
    return _("%(district)s Disabled Persons' Federation") % {"district": district()}


def site_name() -> str:
    """The name in the header and every page title."""
    return _("%(district)s Disability Services Purchase Portal") % {"district": district()}
