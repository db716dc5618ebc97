from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using Kopiena, identified by e-mail.

    Roles: a platform administrator is a superuser; municipality staff are linked
    to the municipalities they work for; coordinators and members are linked to
    communities through community memberships; everyone else is a resident.
    """

    email = models.EmailField(_("e-pasta adrese"), unique=True)
    full_name = models.CharField(_("vārds"), max_length=150, blank=True)
    is_active = models.BooleanField(_("aktīvs"), default=True)
    is_staff = models.BooleanField(
        _("piekļuve administrēšanas vietnei"),
        default=False,
        help_text=_("Var ieiet tehniskajā administrēšanas vietnē."),
    )
    date_joined = models.DateTimeField(_("reģistrējies"), default=timezone.now)
    staff_of = models.ManyToManyField(
        "places.Municipality",
        blank=True,
        related_name="staff",
        verbose_name=_("pašvaldību darbinieks"),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("lietotājs")
        verbose_name_plural = _("lietotāji")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser


class Consent(models.Model):
    """A person's agreement to a version of a document (the privacy policy), with its time.

    A new row is added for each agreement or withdrawal, so the history is kept.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    document = models.CharField(_("dokuments"), max_length=32)
    version = models.CharField(_("versija"), max_length=32)
    given = models.BooleanField(_("piekrīt"), default=True)
    recorded_at = models.DateTimeField(_("laiks"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("piekrišana")
        verbose_name_plural = _("piekrišanas")

    def __str__(self) -> str:
        return f"{self.document} {self.version}: {_('jā') if self.given else _('nē')}"


class Notification(models.Model):
    """Something new for one person, from any app: shown on the site and gathered into the
    e-mail digest. `kind` is a NotificationKind code an app contributes; `source` names the
    object it is about ("network.newspost:12"), so the app can withdraw it (a post hidden by
    a moderator takes its notifications with it)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    source = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "emailed_at"], name="notification_user_digest_idx")]

    def __str__(self) -> str:
        return self.title


class NotificationSettings(models.Model):
    class Frequency(models.TextChoices):
        NEVER = "never", _("nesūtīt e-pastu")
        DAILY = "daily", _("katru dienu")
        WEEKLY = "weekly", _("reizi nedēļā")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_frequency = models.CharField(
        _("e-pasta kopsavilkums"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )

    def __str__(self) -> str:
        return self.email_frequency
