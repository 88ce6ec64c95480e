"""Community's forms, one module per subject (guards, accounts, posting, hosting, making);
views and the other apps import them from the package: ``from community.forms import
PostForm``."""

from .accounts import (  # noqa: F401
    AccountDeleteForm,
    InviteForm,
    NoticePauseForm,
    NotificationSettingsForm,
    ProfileForm,
    SignupForm,
)
from .guards import (  # noqa: F401
    BOT_MESSAGE,
    GUARD_SALT,
    BotGuardMixin,
    SubmissionNonceMixin,
)
from .hosting import (  # noqa: F401
    DAY_INPUT_FORMATS,
    DAY_INVALID,
    ClaimLinkForm,
    CloseForm,
    FlagForm,
    HealthPeriodForm,
    MergeForm,
    MoveForm,
    ReasonForm,
    SiteDateInput,
    StaffEditForm,
    SuspendForm,
    TagsForm,
    WelcomeForm,
)
from .making import (  # noqa: F401
    CollectionAddForm,
    CollectionForm,
    LocalDateTimeInput,
    MomentEntryForm,
    MomentForm,
)
from .posting import (  # noqa: F401
    BODY_MAX,
    PHOTO_ALT_REQUIRED,
    PHOTO_TYPES,
    PhotoFieldsMixin,
    PostEditForm,
    PostForm,
    ThreadForm,
    tags_cleaned,
)
