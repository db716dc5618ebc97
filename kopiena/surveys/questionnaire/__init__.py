"""A survey's questionnaire as plain data: no database here (import-linter checks it).

Read from XLSForm files and written back (`xlsform`), held in memory (`schema`), its
`relevant` and `constraint` expressions evaluated (`expressions`), answers turned into
stored values (`answers`) and checked against the questionnaire's rules (`answer_rules`).
"""
