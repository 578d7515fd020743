"""A complaint in one place: its fields and their readers, statuses, staff actions,
deadlines, case numbers.

``bot``, ``console``, ``ops`` and ``privacy`` read it; it reads only ``models``, ``nlu``'s
normalisers and the holiday calendar, never ``bot``, so it imports nothing here: each
module is imported by name.
"""
