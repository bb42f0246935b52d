"""The queue worker: `registry` (named jobs; imports no feature, features register themselves),
`queue` (RQ on Redis, or threads in this process), `runner` (RQ's entry point), `scheduler` (the
minute sweep), `housekeeping` (re-booking and the spool replay) and `cli` (`flask --app bot worker`)."""
