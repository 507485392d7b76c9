"""Where a planned person can be used, filled by the apps above planning.

The congress app registers, from its `ready()`, the nominee lists of the unit still being
drafted as targets, and adds the person to the chosen one when an entry is used.
"""

from personnel.hooks import Hook

# fn(planning_list, user) -> list[(target, label)] | None: the choices of the "use" form.
use_targets = Hook("planning_use_targets")
# fn(entry, planning_list, target, user) -> (result, label) | None: act on a chosen target
# (inside the planning service's transaction); None when the target is not this app's.
entry_used = Hook("planning_entry_used")


def targets(planning_list, user) -> list[tuple[str, str]]:
    return [t for choices in use_targets(planning_list, user) for t in choices]
