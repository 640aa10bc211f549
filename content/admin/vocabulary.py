from django.contrib import admin

from content.models import Contraindication, ContraindicationAlias, Goal


class AliasInline(admin.TabularInline):
    model = ContraindicationAlias
    extra = 0


@admin.register(Contraindication)
class ContraindicationAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "category"]
    list_filter = ["category"]
    search_fields = ["slug", "name", "aliases__slug"]
    inlines = [AliasInline]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["slug", "name"]
    search_fields = ["slug", "name"]
