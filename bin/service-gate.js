#!/usr/bin/env node
// The CLI ships bundled (lib/cli/, built by `npm run build`): one file starts much faster
// than hundreds of ES modules. lib/shells/cli/ is the same code unbundled.
import '../lib/cli/index.js';
