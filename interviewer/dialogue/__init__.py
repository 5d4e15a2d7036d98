"""What the interviewer says: answering clarifying questions, choosing what to ask next,
and wording it so a candidate hears a question a senior interviewer would ask."""
