from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "habeas.audit"
    label = "audit"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from habeas.audit import signals

        signals.connect()

        from django.contrib.auth.signals import user_logged_in

        from habeas.audit.otp import on_login

        user_logged_in.connect(on_login, dispatch_uid="habeas.audit.otp.on_login")
