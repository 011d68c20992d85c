"""`planlint rule` and `planlint schema`: what planlint checks, and the schemas it ships."""

from __future__ import annotations

import click

from planlint.cli import guarded
from planlint.errors import UsageError


@click.command()
@click.argument("code", required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@guarded
def rule(code: str | None, output_format: str) -> None:
    """Explain a rule, or list every rule when no CODE is given."""
    import json

    from planlint.catalogue import CATALOGUE
    from planlint.rules import load

    if code is not None and code.upper() not in CATALOGUE:
        raise UsageError(f"unknown rule code '{code}' (see `planlint rule` for the list)")
    codes = [code.upper()] if code else sorted(CATALOGUE)
    rules = [load(c) for c in codes]
    if output_format == "json":
        data = [
            {"code": r.code, "name": r.name, "severity": r.severity.label, "fixable": r.fixable,
             "opt_in": r.opt_in, "summary": r.summary(), "explanation": r.rationale()}
            for r in rules
        ]  # fmt: skip
        click.echo(json.dumps(data[0] if code else data, indent=2))
        return
    if code:
        r = rules[0]
        flags = [r.severity.label] + (["fixable"] if r.fixable else []) + (["opt-in"] if r.opt_in else [])
        click.echo(f"# {r.code} {r.name} ({', '.join(flags)})\n\n{r.summary()}\n\n{r.rationale()}")
        return
    for r in rules:
        marks = ("[*]" if r.fixable else "   ") + (" opt-in" if r.opt_in else "")
        click.echo(f"{r.code}  {r.severity.label[0].upper()}  {r.name:<28} {r.summary()} {marks}".rstrip())


@click.command()
@click.argument("name", type=click.Choice(["status", "constraints"]), default="status")
@guarded
def schema(name: str) -> None:
    """Print a JSON Schema planlint ships: status (the extended status.json schema) or
    constraints (what `planlint emit` writes)."""
    from planlint.analysis.schema import shipped_schema_text

    click.echo(shipped_schema_text(f"{name}.schema.json"), nl=False)
