"""`in` lookups on integer columns ignore values the database cannot hold.

Django already answers `pk=99999999999999999999` with "no row" instead of letting SQLite raise
OverflowError (IntegerFieldOverflow on exact, gt, gte, lt, lte), but not `pk__in=[...]`, which every
ModelMultipleChoiceField runs on what was posted: one huge id gave a 500 on SQLite. A value outside
the column's range can match no row, so dropping it gives the same answer the database would.
Registered in CoreConfig.ready().
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


def _in_range(values, internal_type, connection):
    low, high = connection.ops.integer_field_range(internal_type)
    return [
        value
        for value in values
        if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
    ]


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            values = [value for value in self.rhs if value is not None]
            kept = _in_range(values, self.lhs.output_field.get_internal_type(), connection)
            if not kept:
                raise EmptyResultSet
            if len(kept) != len(values):
                self.rhs = kept
        return super().process_rhs(compiler, connection)


class RelatedIntegerIn(RelatedIn):
    """The same for a foreign key to an integer primary key (region__in=[...])."""

    def process_rhs(self, compiler, connection):
        target = getattr(self.lhs.output_field, "target_field", None)
        if self.rhs_is_direct_value() and isinstance(target, IntegerField):
            values = [value for value in self.rhs if value is not None]
            kept = _in_range(values, target.get_internal_type(), connection)
            if not kept:
                raise EmptyResultSet
            if len(kept) != len(values):
                self.rhs = kept
        return super().process_rhs(compiler, connection)


def register():
    IntegerField.register_lookup(IntegerFieldIn)
    ForeignObject.register_lookup(RelatedIntegerIn)
