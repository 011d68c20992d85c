"""What an orchestrator consumes: the constraint document (`document`), its views for agents and
people (`views`: prompt, mermaid), the waves of the schedule (`schedule`), the next batch
(`next`) and the constraints recorded in status.json (`into_status`), all computed from one
`scheduling.Scheduling` of a plan."""
