import { ControlRoomSettings } from '../../preload/contract';
import { ControlRoomLink } from '../../main/control-room/link';
import { newSeatKey } from '../../main/control-room/signing';
import { AlarmDb } from '../../main/storage/alarm-db';

// A seat in a process of its own, so a test can kill it (SIGKILL) and watch its last will:
// node --import tsx seat-process.ts <broker url> <site> <seat> <data folder>. Prints "online".
const [url, site, seat, dataDir] = process.argv.slice(2) as [string, string, string, string];
const db = new AlarmDb(dataDir);
let said = false;
const link = new ControlRoomLink(db, {
  alarm: () => undefined,
  command: () => undefined,
  status: (s) => {
    if (s.state === 'online' && !said) {
      said = true;
      process.stdout.write('online\n');
    }
  },
});
await link.configure(
  ControlRoomSettings.parse({ enabled: true, brokerUrl: url, site, seat, user: `op-${seat}` }),
  null,
  newSeatKey(),
);
setInterval(() => undefined, 1 << 30);
