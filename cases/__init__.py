"""A complaint's lifecycle in one place: statuses, staff actions, deadlines, case numbers.

``bot``, ``console``, ``ops`` and ``privacy`` read it; it reads only ``models`` (and the
holiday calendar), so it imports nothing here: each module is imported by name.
"""
