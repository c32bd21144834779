"""Development tools, apart from the runtime core: demo shops (`demo`), a believable chat history for
dashboards and analytics (`simulate`) and the dev-set evaluation of the engine (`evaluation`)."""
