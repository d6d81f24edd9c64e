"""The ``Mutation`` root: writes of departments and platforms (数据报送).

Each family of records has its module; the root gathers their fields. Every mutation needs an
API key whose department owns the record type, returns the stored record, and either writes
everything it was asked to or nothing (typed errors per bad field).
"""

from __future__ import annotations

import strawberry

from resolvers.types.mutations.conduct import ConductMutations
from resolvers.types.mutations.decisions import DecisionMutations
from resolvers.types.mutations.places import PlaceMutations


@strawberry.type(description="Writes to the credit graph (数据报送). Each needs "
                             "`Authorization: Bearer <API key>` of a department that owns the "
                             "record type; a repeat of a stored record returns it unchanged.")
class Mutation(DecisionMutations, ConductMutations, PlaceMutations):
    pass
