/**
 * `npm run bench:views`: how long one push costs the server in views alone — every student
 * view and the teacher's of a class of BENCH_PAIRS pairs (default 30) in the middle of a
 * lifecycle, built and serialised as the room runtime does — and what the teacher is sent
 * per event of that game: the whole view, or the teacher feed's update. Pure, in one
 * process; prints figures, asserts nothing.
 */
import type { Room } from '../shared/game/model.ts';
import { RoomSim } from '../shared/game/sim.ts';
import { TeacherFeed } from '../shared/game/teacher-feed.ts';
import { viewFor, viewShared } from '../shared/game/view-for.ts';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 30);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 300);

/** The class mid-lifecycle, and the room after every event of its game (new objects on every call). */
function play(): { room: Room; rooms: Room[] } {
  const sim = new RoomSim();
  for (let i = 0; i < PAIRS * 2; i++) sim.join(`s${i + 1}`, `N${i + 1}`);
  for (let p = 0; p < PAIRS; p++) sim.pair(`p${p + 1}`, `s${2 * p + 1}`, `s${2 * p + 2}`);
  sim.start('lifecycle', 1);
  const rooms: Room[] = [sim.room];
  const then = (f: () => void) => { f(); rooms.push(sim.room); };
  for (let p = 0; p < PAIRS; p++) {
    const pid = `p${p + 1}`;
    const c = `s${2 * p + 1}`;
    const s = `s${2 * p + 2}`;
    then(() => sim.play(c, ['SYN'])); then(() => sim.deliverAll(pid));
    then(() => sim.play(s, ['SYN', 'ACK'])); then(() => sim.deliverAll(pid));
    then(() => sim.play(c, ['ACK'])); then(() => sim.deliverAll(pid));
    then(() => sim.play(c, ['ACK', 'PSH'], 5)); then(() => sim.deliverAll(pid));
    then(() => sim.play(s, ['ACK', 'PSH'], 3));
  }
  return { room: sim.room, rooms };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const { room } = play();
let bytes = 0;
let teacherBytes = 0;
for (let run = 1; run <= 3; run++) {
  const t0 = performance.now();
  for (let i = 0; i < PUSHES; i++) {
    bytes = 0;
    const shared = viewShared(room);
    for (const seat of room.seats) bytes += JSON.stringify(viewFor(room, { role: 'student', seatId: seat.id }, [], shared)).length;
    teacherBytes = JSON.stringify(viewFor(room, { role: 'teacher' }, [], shared)).length;
    bytes += teacherBytes;
  }
  const ms = (performance.now() - t0) / PUSHES;
  console.log(`run ${run}: one push of ${PAIRS * 2} student views and the teacher's: ${ms.toFixed(2)} ms, ${kb(bytes)} (the teacher's view: ${kb(teacherBytes)})`);
}

// The teacher after every event of the game (one pair changes each time): the whole view as
// JSON, or the feed's update. Each run replays the game afresh, so nothing is cached from the last.
for (let run = 1; run <= 3; run++) {
  const events = play().rooms.slice(1);
  let fullBytes = 0;
  const t0 = performance.now();
  for (const r of events) fullBytes += JSON.stringify(viewFor(r, { role: 'teacher' }, [])).length;
  const fullMs = (performance.now() - t0) / events.length;
  const again = play().rooms;
  const feed = new TeacherFeed();
  feed.snapshot(viewFor(again[0]!, { role: 'teacher' }, []));
  let updateBytes = 0;
  let largest = 0;
  const t1 = performance.now();
  for (const r of again.slice(1)) {
    const n = feed.updateText(viewFor(r, { role: 'teacher' }, []), r.seq)?.length ?? 0;
    updateBytes += n;
    largest = Math.max(largest, n);
  }
  const updateMs = (performance.now() - t1) / events.length;
  console.log(`run ${run}: the teacher per event of the game (${events.length} events): whole view ${kb(fullBytes / events.length)} in ${fullMs.toFixed(3)} ms; `
    + `teacher/update ${kb(updateBytes / events.length)} on average (largest ${kb(largest)}) in ${updateMs.toFixed(3)} ms`);
}
