import { describe, expect, it } from 'vitest';
import {
  type Actor,
  type OrderAction,
  type OrderStatus,
  orderActions,
  orderStatuses,
  transition,
} from '../../domain/orders/order-state';

/** The complete list of legal moves: anything not here must be refused. */
const legal: [
  OrderStatus,
  OrderAction,
  Actor,
  OrderStatus,
  { mode?: 'dine_in' | 'pickup' | 'delivery'; payLater?: boolean }?,
][] = [
  ['placed', 'await_payment', 'system', 'pending_payment'],
  ['placed', 'accept', 'staff', 'accepted', { payLater: true }],
  ['placed', 'accept', 'system', 'accepted', { payLater: true }],
  ['placed', 'cancel', 'guest', 'cancelled'],
  ['placed', 'cancel', 'staff', 'cancelled'],
  ['placed', 'cancel', 'system', 'cancelled'],
  ['pending_payment', 'pay', 'system', 'paid'],
  ['pending_payment', 'expire', 'system', 'cancelled'],
  ['pending_payment', 'cancel', 'guest', 'cancelled'],
  ['pending_payment', 'cancel', 'staff', 'cancelled'],
  ['pending_payment', 'cancel', 'system', 'cancelled'],
  ['paid', 'accept', 'staff', 'accepted'],
  ['paid', 'accept', 'system', 'accepted'],
  ['paid', 'request_cancel', 'guest', 'cancel_requested'],
  ['paid', 'cancel', 'staff', 'cancelled'],
  // A held group-buy order whose group failed: nothing was cooked, the system cancels it.
  ['paid', 'cancel', 'system', 'cancelled'],
  ['accepted', 'start', 'staff', 'preparing'],
  ['accepted', 'start', 'system', 'preparing'],
  ['accepted', 'ready', 'staff', 'ready'],
  ['accepted', 'ready', 'system', 'ready'],
  ['accepted', 'request_cancel', 'guest', 'cancel_requested'],
  ['accepted', 'cancel', 'staff', 'cancelled'],
  ['preparing', 'ready', 'staff', 'ready'],
  ['preparing', 'ready', 'system', 'ready'],
  ['preparing', 'request_cancel', 'guest', 'cancel_requested'],
  ['preparing', 'cancel', 'staff', 'cancelled'],
  ['accepted', 'pay', 'system', 'accepted', { payLater: true }],
  ['preparing', 'pay', 'system', 'preparing', { payLater: true }],
  ['ready', 'pay', 'system', 'ready', { payLater: true }],
  ['served', 'pay', 'system', 'served', { payLater: true }],
  ['completed', 'pay', 'system', 'completed', { payLater: true }],
  ['ready', 'serve', 'staff', 'served', { mode: 'dine_in' }],
  ['ready', 'pick_up', 'staff', 'picked_up', { mode: 'pickup' }],
  ['ready', 'dispatch', 'staff', 'delivering', { mode: 'delivery' }],
  // A carrier's rider picking the food up dispatches it (delivery tracking).
  ['ready', 'dispatch', 'system', 'delivering', { mode: 'delivery' }],
  ['ready', 'complete', 'staff', 'completed'],
  ['ready', 'complete', 'system', 'completed'],
  ['served', 'complete', 'staff', 'completed'],
  ['served', 'complete', 'system', 'completed'],
  ['picked_up', 'complete', 'staff', 'completed'],
  ['picked_up', 'complete', 'system', 'completed'],
  ['delivering', 'complete', 'staff', 'completed'],
  ['delivering', 'complete', 'system', 'completed'],
  ['completed', 'refund', 'staff', 'refunded'],
  ['completed', 'refund', 'system', 'refunded'],
  ['cancel_requested', 'approve_cancel', 'staff', 'cancelled'],
  ['cancelled', 'refund', 'staff', 'refunded'],
  ['cancelled', 'refund', 'system', 'refunded'],
];

const modes = ['dine_in', 'pickup', 'delivery'] as const;
const actors: Actor[] = ['guest', 'staff', 'system'];

describe('the order state machine', () => {
  it('allows exactly the legal moves and refuses every other status × action × actor × mode', () => {
    let refused = 0;
    for (const status of orderStatuses) {
      for (const action of orderActions) {
        for (const actor of actors) {
          for (const mode of modes) {
            for (const payLater of [false, true]) {
              // As a manager: what a clerk may not do is the test below.
              const result = transition({ status, mode, payLater, previousStatus: 'paid' }, action, actor, 'manager');
              const rule = legal.find(
                ([s, a, who, , opts]) =>
                  s === status &&
                  a === action &&
                  who === actor &&
                  (!opts?.mode || opts.mode === mode) &&
                  (opts?.payLater === undefined || opts.payLater === payLater),
              );
              if (status === 'cancel_requested' && action === 'reject_cancel' && actor === 'staff') {
                expect(result).toEqual({ ok: true, status: 'paid', previousStatus: null });
              } else if (rule) {
                expect(result, `${status} ${action} ${actor} ${mode}`).toMatchObject({ ok: true, status: rule[3] });
              } else {
                expect(result.ok, `${status} ${action} ${actor} ${mode} payLater=${payLater}`).toBe(false);
                refused++;
              }
            }
          }
        }
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });

  it('a refused move names the current state', () => {
    const r = transition({ status: 'pending_payment', mode: 'pickup' }, 'complete', 'staff');
    expect(r).toMatchObject({ ok: false, code: 'order.illegal_transition' });
    if (!r.ok) expect(r.message).toContain('pending payment');
  });

  it('a guest asking to cancel remembers where the order was, and a rejection puts it back', () => {
    const asked = transition({ status: 'preparing', mode: 'dine_in' }, 'request_cancel', 'guest');
    expect(asked).toEqual({ ok: true, status: 'cancel_requested', previousStatus: 'preparing' });
    const back = transition(
      { status: 'cancel_requested', mode: 'dine_in', previousStatus: 'preparing' },
      'reject_cancel',
      'staff',
    );
    expect(back).toEqual({ ok: true, status: 'preparing', previousStatus: null });
  });

  it('a clerk cannot give money back: cancelling a paid order or approving a cancel request needs a manager', () => {
    const refused = { ok: false, code: 'order.refund_needs_manager' };
    for (const status of ['paid', 'accepted', 'preparing'] as const) {
      expect(transition({ status, mode: 'pickup' }, 'cancel', 'staff', 'clerk'), status).toMatchObject(refused);
      expect(transition({ status, mode: 'pickup' }, 'cancel', 'staff', 'manager'), status).toMatchObject({ ok: true });
    }
    const asked = { status: 'cancel_requested', mode: 'pickup', previousStatus: 'paid' } as const;
    expect(transition(asked, 'approve_cancel', 'staff', 'clerk')).toMatchObject(refused);
    expect(transition(asked, 'approve_cancel', 'staff')).toMatchObject(refused);
    expect(transition(asked, 'approve_cancel', 'staff', 'manager')).toMatchObject({ ok: true, status: 'cancelled' });
    expect(transition(asked, 'reject_cancel', 'staff', 'clerk')).toMatchObject({ ok: true, status: 'paid' });
    expect(transition({ status: 'completed', mode: 'pickup' }, 'refund', 'staff', 'clerk')).toMatchObject(refused);
    // Nothing was paid: a clerk cancels it, as a tab nobody has paid on yet.
    expect(transition({ status: 'pending_payment', mode: 'pickup' }, 'cancel', 'staff', 'clerk')).toMatchObject({
      ok: true,
    });
    const tab = { status: 'accepted', mode: 'dine_in', payLater: true } as const;
    expect(transition(tab, 'cancel', 'staff', 'clerk')).toMatchObject({ ok: true, status: 'cancelled' });
    expect(transition({ ...tab, paid: 1600 }, 'cancel', 'staff', 'clerk')).toMatchObject(refused);
    // An unpaid order that took part of its price gives that part back: a manager's call too.
    expect(
      transition({ status: 'pending_payment', mode: 'pickup', paid: 500 }, 'cancel', 'staff', 'clerk'),
    ).toMatchObject(refused);
    // The system (a group that did not fill, an expiry) is not staff and is never refused for this.
    expect(transition({ status: 'paid', mode: 'pickup' }, 'cancel', 'system')).toMatchObject({ ok: true });
  });

  it('a guest cannot move the kitchen states', () => {
    expect(transition({ status: 'paid', mode: 'pickup' }, 'accept', 'guest')).toMatchObject({
      ok: false,
      code: 'auth.forbidden',
    });
  });
});
