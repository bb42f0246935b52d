"""A customer's rights over their data (个人信息保护法 arts. 45 and 47): a copy of everything held
about them (`customers export`) and its erasure (`customers erase`), found through the schema
itself (`subject.py`) so that a table added later is covered without being listed here."""
