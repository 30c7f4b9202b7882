from django.contrib import admin

from habeas.reference.models import Dataset, Execution, Exoneration, ImportBatch


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "kind", "as_of", "record_count"]
    list_filter = ["kind"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "dataset", "retrieved_on", "imported_at", "rows_read", "added", "updated",
                    "unchanged", "rejected"]
    list_filter = ["dataset"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]


@admin.register(Exoneration)
class ExonerationAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "state", "worst_crime", "exoneration_year", "dna", "death_sentence"]
    list_filter = ["dataset", "dna", "death_sentence", "mwid", "fc", "p_fa", "f_mfe", "om", "ild"]
    search_fields = ["last_name", "first_name", "county"]
    list_select_related = ["dataset"]
    raw_id_fields = ["batch"]


@admin.register(Execution)
class ExecutionAdmin(admin.ModelAdmin):
    list_display = ["name", "date", "state", "method", "race"]
    list_filter = ["dataset", "state", "method"]
    search_fields = ["name", "county"]
    raw_id_fields = ["batch"]
