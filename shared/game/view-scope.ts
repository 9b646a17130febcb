/**
 * Which students' views an event can change, so a server rebuilds only theirs. A student's
 * view holds their own seat, their pair (the partner's nickname and presence, the game),
 * the round, the room's code, kind and closed flag, their own mistakes, and the leaderboard;
 * the leaderboard is left out here (every score change moves it: servers refresh it on a
 * clock of their own). The teacher's view may change with any event.
 */
import type { Room, RoomEvent } from './model.ts';
import { pairOfSeat } from './room.ts';

/** The seat ids whose student view (leaderboard aside) `ev` can change, or 'all'. */
export function viewersConcerned(ev: RoomEvent, before: Room, after: Room): Set<string> | 'all' {
  const seats = new Set<string>();
  const pairSeats = (room: Room, pairId: string) => {
    const p = room.pairs.find((x) => x.id === pairId);
    if (p) { seats.add(p.seats.client); seats.add(p.seats.server); }
  };
  const withPartner = (seatId: string) => {
    seats.add(seatId);
    for (const room of [before, after]) {
      const ps = pairOfSeat(room, seatId);
      if (ps) pairSeats(room, ps.pair.id);
    }
  };
  switch (ev.type) {
    case 'move': case 'wire/delivered': case 'wire/dropped': case 'timer/fired':
    case 'hint/given': case 'pair/restarted': case 'pair/swapped': case 'pair/dissolved':
      pairSeats(before, ev.pairId);
      pairSeats(after, ev.pairId);
      return seats;
    case 'pair/formed':
      withPartner(ev.client);
      withPartner(ev.server);
      return seats;
    case 'seat/joined':
      seats.add(ev.seatId);
      return seats;
    case 'seat/renamed': case 'seat/removed':
      withPartner(ev.seatId);
      return seats;
    case 'room/locked': case 'room/unlocked': case 'room/timings-set':
      return seats;
    case 'room/created': case 'round/started': case 'round/paused': case 'round/resumed': case 'round/ended': case 'room/closed':
      return 'all';
    default: {
      const never: never = ev;
      void never;
      return 'all';
    }
  }
}
