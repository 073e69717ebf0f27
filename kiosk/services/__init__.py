"""Use cases.  Each takes a session factory (unit of work) and device ports; none imports Kivy."""
