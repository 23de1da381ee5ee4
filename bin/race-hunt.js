#!/usr/bin/env node
// The installed command: a thin shell that hands over to the compiled CLI.
import '../dist/cli/main.js';
