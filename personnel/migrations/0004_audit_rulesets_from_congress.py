"""Audit, notifications and the stored rule sets move from the congress app to personnel,
the lowest layer every app writes through (state only: the tables stay where they are
until 0005 renames them)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0003_planning"),
        ("congress", "0007_version_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='AuditLog',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='thời điểm')),
                    ('action', models.CharField(max_length=64, verbose_name='thao tác')),
                    ('object_type', models.CharField(max_length=64, verbose_name='loại đối tượng')),
                    ('object_id', models.CharField(max_length=64, verbose_name='mã đối tượng')),
                    ('object_label', models.CharField(blank=True, max_length=255, verbose_name='đối tượng')),
                    ('before', models.JSONField(blank=True, null=True, verbose_name='trước')),
                    ('after', models.JSONField(blank=True, null=True, verbose_name='sau')),
                    ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện')),
                    ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='personnel.partyunit')),
                ],
                options={
                    'db_table': 'congress_auditlog',
                    'verbose_name': 'nhật ký thay đổi',
                    'verbose_name_plural': 'nhật ký thay đổi',
                    'ordering': ['-at', '-id'],
                    'indexes': [models.Index(fields=['object_type', 'object_id'], name='audit_object_idx')],
                },
            ),
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('text', models.CharField(max_length=500, verbose_name='nội dung')),
                    ('url', models.CharField(blank=True, max_length=255)),
                    ('read_at', models.DateTimeField(blank=True, null=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'congress_notification',
                    'verbose_name': 'thông báo',
                    'verbose_name_plural': 'thông báo',
                    'ordering': ['-created_at'],
                },
            ),
            migrations.CreateModel(
                name='RuleSetVersion',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(max_length=64, verbose_name='mã bộ quy tắc')),
                    ('version', models.PositiveIntegerField(default=1, verbose_name='phiên bản')),
                    ('name', models.CharField(max_length=255, verbose_name='tên')),
                    ('source', models.TextField(blank=True, verbose_name='căn cứ')),
                    ('data', models.JSONField(verbose_name='tham số')),
                    ('is_preset', models.BooleanField(default=False, verbose_name='bộ mặc định')),
                    ('note', models.TextField(blank=True, verbose_name='ghi chú thay đổi')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='tạo lúc')),
                    ('based_on', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='personnel.rulesetversion', verbose_name='sao từ')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'congress_ruleset',
                    'constraints': [models.UniqueConstraint(fields=('code', 'version'), name='uniq_ruleset_version')],
                    'verbose_name': 'bộ quy tắc',
                    'verbose_name_plural': 'bộ quy tắc',
                    'ordering': ['code', '-version'],
                },
            ),
            ],
            database_operations=[],
        ),
    ]
