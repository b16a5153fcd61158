"""`in` lookups on integer columns ignore values no row can have.

Django already answers `pk=99999999999999999999` with "no row" instead of letting SQLite raise
OverflowError (IntegerFieldOverflow on exact, gt, gte, lt, lte), but not `pk__in=[...]`, which every
ModelMultipleChoiceField runs on what was posted, and which the admin's autocomplete widgets run on
the raw posted values when they show a refused form again ("0.0" raised ValueError, a huge id
OverflowError on SQLite: both a 500). A value the column cannot hold (a string that is not a whole
number, a number outside the column's range) can match no row, so dropping it gives the answer the
database would give for such a value; the forms still refuse it as an unknown choice.

`any_of` gives PostgreSQL a list of integers as one array parameter (`id = ANY(%s)`): a filter by a few
thousand ids read first (cases.selectors.ids_by_key) compiled as thousands of parameters, each one
prepared and quoted by Django (5 ms for a region's 2,300 cases, twice per list page).

Registered in CoreConfig.ready().
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField, Lookup
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


def _whole_numbers(values):
    """The values an integer column could equal: strings that are not whole numbers are left out."""
    kept = []
    for value in values:
        if isinstance(value, str):
            try:
                int(value)
            except ValueError:
                continue
        kept.append(value)
    return kept


def _in_range(values, internal_type, connection):
    low, high = connection.ops.integer_field_range(internal_type)
    return [
        value
        for value in values
        if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
    ]


class IntegerFieldIn(In):
    def get_prep_lookup(self):
        if self.rhs_is_direct_value():
            self.rhs = _whole_numbers(self.rhs)
        return super().get_prep_lookup()

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            values = [value for value in self.rhs if value is not None]
            kept = _in_range(values, self.lhs.output_field.get_internal_type(), connection)
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)


class RelatedIntegerIn(RelatedIn):
    """The same for a foreign key to an integer primary key (region__in=[...])."""

    def _target(self):
        path_infos = getattr(self.lhs.output_field, "path_infos", None)
        target = path_infos[-1].target_fields[-1] if path_infos else None
        return target if isinstance(target, IntegerField) else None

    def get_prep_lookup(self):
        if self.rhs_is_direct_value() and self._target() is not None:
            self.rhs = _whole_numbers(self.rhs)
        return super().get_prep_lookup()

    def process_rhs(self, compiler, connection):
        target = self._target()
        if self.rhs_is_direct_value() and target is not None:
            values = [value for value in self.rhs if value is not None]
            kept = _in_range(values, target.get_internal_type(), connection)
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)


class AnyOf(Lookup):
    """`field__any_of=[1, 2, 3]` on an integer column: on PostgreSQL `field = ANY(%s::bigint[])` with the
    list as one parameter, elsewhere an IN list; nothing matches an empty list."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", (*params, *self.rhs)

    def as_postgresql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", (*params, self.rhs)


def register():
    IntegerField.register_lookup(IntegerFieldIn)
    ForeignObject.register_lookup(RelatedIntegerIn)
    IntegerField.register_lookup(AnyOf)
