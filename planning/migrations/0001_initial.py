"""Planning (quy hoạch) becomes an app of its own, above vetting and below congress. State
only: the models take over personnel's tables, which 0002 renames."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("personnel", "0005_audit_rulesets_tables"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='PlanningList',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('state', models.CharField(choices=[('draft', 'Dự thảo'), ('submitted', 'Đã trình cấp trên'), ('returned', 'Cấp trên trả lại'), ('approved', 'Đã phê duyệt')], default='draft', max_length=16, verbose_name='trạng thái')),
                    ('decision_number', models.CharField(blank=True, max_length=64, verbose_name='số quyết định phê duyệt')),
                    ('decision_date', models.DateField(blank=True, null=True, verbose_name='ngày quyết định phê duyệt')),
                    ('state_changed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='chuyển trạng thái lúc')),
                    ('remark', models.TextField(blank=True, verbose_name='ý kiến')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='tạo lúc')),
                    ('state_changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người chuyển trạng thái')),
                    ('term', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='personnel.term', verbose_name='nhiệm kỳ quy hoạch')),
                    ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='planning_lists', to='personnel.partyunit', verbose_name='đơn vị')),
                ],
                options={
                    'db_table': 'personnel_planninglist',
                    'verbose_name': 'danh sách quy hoạch',
                    'verbose_name_plural': 'danh sách quy hoạch',
                    'ordering': ['unit__path', 'term__start'],
                },
            ),
            migrations.CreateModel(
                name='PlanningJustification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(max_length=64, verbose_name='mã phát hiện')),
                    ('people_key', models.CharField(blank=True, max_length=255, verbose_name='người liên quan')),
                    ('text', models.TextField(verbose_name='giải trình')),
                    ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='giải trình lúc')),
                    ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người giải trình')),
                    ('planning_list', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='justifications', to='planning.planninglist', verbose_name='danh sách quy hoạch')),
                ],
                options={
                    'db_table': 'personnel_planningjustification',
                    'verbose_name': 'giải trình quy hoạch',
                    'verbose_name_plural': 'giải trình quy hoạch',
                },
            ),
            migrations.CreateModel(
                name='PlanningEntry',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('since', models.DateField(default=django.utils.timezone.localdate, verbose_name='quy hoạch từ ngày')),
                    ('decision_number', models.CharField(blank=True, max_length=64, verbose_name='số quyết định')),
                    ('decision_date', models.DateField(blank=True, null=True, verbose_name='ngày quyết định')),
                    ('readiness_notes', models.TextField(blank=True, verbose_name='nhận xét mức độ sẵn sàng')),
                    ('added_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thêm lúc')),
                    ('removed_at', models.DateField(blank=True, null=True, verbose_name='ngày đưa ra khỏi quy hoạch')),
                    ('removed_reason', models.CharField(blank=True, choices=[('used', 'Đã được sử dụng (bổ nhiệm vào chức danh quy hoạch)'), ('over_age', 'Không còn đủ tuổi quy hoạch'), ('disciplined', 'Bị kỷ luật'), ('ineligible', 'Không đạt tiêu chuẩn chính trị'), ('moved_away', 'Chuyển công tác khác'), ('low_confidence', 'Tín nhiệm thấp'), ('poor_health', 'Sức khỏe yếu'), ('other', 'Lý do khác')], max_length=16, verbose_name='lý do đưa ra')),
                    ('removed_note', models.TextField(blank=True, verbose_name='ghi chú khi đưa ra')),
                    ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='sử dụng lúc')),
                    ('used_for', models.CharField(blank=True, max_length=255, verbose_name='sử dụng cho')),
                    ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thêm')),
                    ('cadre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='planning_entries', to='personnel.cadre', verbose_name='cán bộ')),
                    ('post', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='personnel.post', verbose_name='chức danh quy hoạch')),
                    ('removed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người đưa ra')),
                    ('planning_list', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='planning.planninglist', verbose_name='danh sách quy hoạch')),
                ],
                options={
                    'db_table': 'personnel_planningentry',
                    'verbose_name': 'người trong quy hoạch',
                    'verbose_name_plural': 'người trong quy hoạch',
                    'ordering': ['planning_list', '-post__rank', 'cadre__sort_key'],
                },
            ),
            migrations.CreateModel(
                name='PlanningReview',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='năm rà soát')),
                    ('decided_on', models.DateField(verbose_name='ngày quyết định')),
                    ('decision_number', models.CharField(max_length=64, verbose_name='số quyết định')),
                    ('notes', models.TextField(blank=True, verbose_name='ghi chú')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ghi nhận lúc')),
                    ('reviewer', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ghi nhận')),
                    ('term', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='personnel.term', verbose_name='nhiệm kỳ quy hoạch')),
                    ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='planning_reviews', to='personnel.partyunit', verbose_name='đơn vị')),
                ],
                options={
                    'db_table': 'personnel_planningreview',
                    'verbose_name': 'kết quả rà soát quy hoạch',
                    'verbose_name_plural': 'kết quả rà soát quy hoạch',
                    'ordering': ['unit__path', 'term__start', '-year'],
                },
            ),
            migrations.AddConstraint(
                model_name='planninglist',
                constraint=models.UniqueConstraint(fields=('unit', 'term'), name='uniq_planning_list_term'),
            ),
            migrations.AddConstraint(
                model_name='planningjustification',
                constraint=models.UniqueConstraint(fields=('planning_list', 'code', 'people_key'), name='uniq_planning_justification'),
            ),
            migrations.AddIndex(
                model_name='planningentry',
                index=models.Index(fields=['cadre', 'removed_at'], name='planning_entry_cadre_idx'),
            ),
            migrations.AddConstraint(
                model_name='planningentry',
                constraint=models.UniqueConstraint(condition=models.Q(('removed_at__isnull', True)), fields=('planning_list', 'cadre', 'post'), name='uniq_active_planning_entry'),
            ),
            migrations.AddConstraint(
                model_name='planningreview',
                constraint=models.UniqueConstraint(fields=('unit', 'term', 'year'), name='uniq_planning_review'),
            ),
            ],
            database_operations=[],
        ),
    ]
