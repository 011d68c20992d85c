// Support file: lets the bare name `status-cli.js` in the examples next to it resolve here.
