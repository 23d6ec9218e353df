"""Pages of the analytics reports' grouped rows in one query each: the rows carry how many there are in all."""

from django.utils.functional import cached_property

from wagtail.admin.paginator import WagtailPaginator


class CountedRowsPaginator(WagtailPaginator):
    """Pages of rows that each carry ``row_count``, the number of rows in all (``COUNT(*) OVER ()``, added by the
    selector): the page asked for is read first and says how many pages there are, so that a grouped report is
    aggregated once per page, not once for the count and again for the page. Only a page past the last one costs
    more (the count, then the last page).
    """

    def __init__(self, object_list, per_page, *args, number=None, verbose_names=("item", "items"), **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        try:
            self.first_number = max(int(number), 1)
        except (TypeError, ValueError):
            self.first_number = 1
        self._verbose_names = verbose_names

    @cached_property
    def verbose_name(self):
        return self._verbose_names[0]

    @cached_property
    def verbose_name_plural(self):
        return self._verbose_names[1]

    @cached_property
    def first_rows(self) -> list:
        bottom = (self.first_number - 1) * self.per_page
        return list(self.object_list[bottom : bottom + self.per_page])

    @cached_property
    def count(self) -> int:
        if self.first_rows:
            return self.first_rows[0]["row_count"]
        if self.first_number == 1:
            return 0
        return self.object_list.count()

    def page(self, number):
        number = self.validate_number(number)
        if number == self.first_number and not self.orphans:
            return self._get_page(self.first_rows, number, self)
        return super().page(number)
