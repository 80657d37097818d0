// Preloaded with --import: writes the process's peak RSS (bytes, from getrusage) to $PEAK_RSS_FILE at exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.PEAK_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));
