"""Context: is an item reporting on terrorism (news, research, monitoring, counter-speech) or is it the
thing itself? `stage.ContextStage` is the entry point; `gold` loads the hand-labelled gold set.
See docs/context-stage.md."""
