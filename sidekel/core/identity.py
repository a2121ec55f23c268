"""Full NIK and KK numbers on pages, fragments and files: the one way a view shows them.

Pages print NIK and KK numbers masked (``620102**********``), for everyone. Whole numbers are
shown only after ``reveal``, which refuses (403) a user who may not see them
(``scope.can_reveal_identity``) and writes the access-log entry; a view then prints each number
through ``shown(number, revealed)`` (in templates: ``{{ number|nomor:revealed }}``). That is the
"Show full numbers (recorded)" step of the resident and family pages, and the rule of files that
are whole by nature (the refused rows of an import). The population books and the resident export
check and log the same way in their own views (``buku.views._buku``, ``penduduk.views.export``).

Who may search by the first digits of a NIK is decided in ``scope.can_search_nik_prefix``.
"""

import re

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from sidekel.core.audit import log_access
from sidekel.core.models import AccessLog
from sidekel.core.nik import mask
from sidekel.core.scope import can_reveal_identity

# A NIK or KK number inside free text (a reason, an import finding), typos of a digit or two included.
_NUMBER_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{12,20}(?![0-9])")


def reveal(user, desa_id, *, obj=None, detail="", action=AccessLog.Action.REVEAL):
    """The step before full numbers of village ``desa_id`` are shown to ``user``: PermissionDenied
    for a user who may not see them, otherwise an access-log entry (``action``: REVEAL for a page,
    EXPORT for a file). Returns True, to pass on as ``revealed``."""
    if not can_reveal_identity(user, desa_id):
        raise PermissionDenied(_("You may not see full NIK and KK numbers."))
    log_access(user, action, desa_id=desa_id, obj=obj, detail=detail)
    return True


def shown(number, revealed):
    """A NIK or KK number as printed: whole once ``reveal``-ed, masked otherwise."""
    return (number or "") if revealed else mask(number)


def mask_numbers(text):
    """``text`` with every NIK- or KK-like run of digits in it masked (free text may quote them)."""
    return _NUMBER_IN_TEXT.sub(lambda m: mask(m.group()), text or "")
