"""Notifications move to accounts, where every app sends them (kopiena.accounts.notifications).

Existing notifications and digest settings are copied over with the title and address
they showed, then the network's own tables go.
"""

from django.db import migrations


def copy_to_accounts(apps, schema_editor):
    Notification = apps.get_model("network", "Notification")
    NotificationSettings = apps.get_model("network", "NotificationSettings")
    AccountNotification = apps.get_model("accounts", "Notification")
    AccountSettings = apps.get_model("accounts", "NotificationSettings")
    AccountSettings.objects.bulk_create(
        AccountSettings(user_id=s.user_id, email_frequency=s.email_frequency)
        for s in NotificationSettings.objects.all()
    )
    copied, times = [], []
    notifications = Notification.objects.select_related(
        "post", "post__community", "post__municipality"
    ).order_by("id")
    for n in notifications:
        post = n.post
        if n.comment_id:
            kind, title = "network.comment", f"Jauns komentārs pie ziņas „{post.title}”"
        else:
            publisher = post.community.name if post.community_id else post.municipality.name
            kind, title = "network.news", f"{publisher}: {post.title}"
        copied.append(
            AccountNotification(
                user_id=n.user_id,
                kind=kind,
                title=title[:300],
                url=f"/network/posts/{post.pk}/",
                source=f"network.newspost:{post.pk}",
                read_at=n.read_at,
                emailed_at=n.emailed_at,
            )
        )
        times.append(n.created_at)
    made = AccountNotification.objects.bulk_create(copied)
    # created_at is auto_now_add: keep each notification's own time.
    for new, created_at in zip(made, times, strict=True):
        AccountNotification.objects.filter(pk=new.pk).update(created_at=created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_notifications"),
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_accounts, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
        migrations.DeleteModel(name="NotificationSettings"),
    ]
