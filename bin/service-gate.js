#!/usr/bin/env node
import '../lib/shells/cli/index.js';
