// Preloaded with --import: records every module URL the process loads into $RECORD_MODULES_FILE at exit.
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';

const loaded = [];
registerHooks({
  load(url, context, nextLoad) {
    loaded.push(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.RECORD_MODULES_FILE, loaded.join('\n')));
