import type { Severity } from '../../feedback/types.js';

/**
 * What Acme Outdoor's customers say in a month: recurring complaint kinds, each in many wordings (synonyms,
 * plurals, other sentence orders), rare one-offs, praise and questions. `{order}`, `{product}` and `{days}` are
 * filled in by the generator (month-feedback.ts), which also adds context words and typos.
 */

export type DepartmentId = 'billing' | 'shipping' | 'product' | 'support';

export type ComplaintKind = {
  id: string;
  department: DepartmentId;
  /** How often it comes up, relative to the others. */
  weight: number;
  severity: Severity;
  wordings: readonly string[];
};

export const COMPLAINT_KINDS: readonly ComplaintKind[] = [
  {
    id: 'double-charge',
    department: 'billing',
    weight: 9,
    severity: 'high',
    wordings: [
      'Customer was charged twice for order {order}',
      'Charged twice on the credit card for {order}, wants the second charge refunded',
      'Double charge: order {order} appears two times on the card statement',
      'The card was charged twice for one order',
      'Two identical charges for order {order}, customer wants one back',
      'Twice charged for the same order, customer is furious',
    ],
  },
  {
    id: 'refund-late',
    department: 'billing',
    weight: 8,
    severity: 'normal',
    wordings: [
      'Refund for the returned {product} has not arrived after {days} days',
      'Still waiting for the refund of the returned {product}',
      'Returned the {product} {days} days ago and no refund yet',
      'Refunds take too long, customer returned order {order} weeks ago',
      'Where is my refund? The return was received {days} days ago',
      'Refund still missing for order {order}',
    ],
  },
  {
    id: 'promo-code',
    department: 'billing',
    weight: 5,
    severity: 'normal',
    wordings: [
      'Promo code was not applied at checkout',
      'The discount code did not work at checkout, customer paid full price',
      'Promo codes rejected at checkout as invalid',
      'Checkout ignored the promo code SPRING20',
      'Customer entered the promo code but the discount was not applied',
    ],
  },
  {
    id: 'vat-invoice',
    department: 'billing',
    weight: 4,
    severity: 'low',
    wordings: [
      'Invoice shows the wrong VAT number',
      'The VAT number on the invoice is wrong, the company needs a corrected invoice',
      'Wrong VAT number printed on invoices for business customers',
      'Corrected invoice needed: VAT number is wrong',
    ],
  },
  {
    id: 'payment-failed',
    department: 'billing',
    weight: 4,
    severity: 'high',
    wordings: [
      'Card payment failed at checkout {days} times',
      'Payment keeps failing with the credit card at checkout',
      'The checkout payment failed but the order was still placed',
      'Payments failed with PayPal, customer could not order',
    ],
  },
  {
    id: 'parcel-lost',
    department: 'shipping',
    weight: 9,
    severity: 'high',
    wordings: [
      'Parcel never arrived, tracking stuck at the depot',
      'Order {order} never arrived and the tracking has not moved for {days} days',
      'Tracking stuck at the depot since Monday, parcel never arrived',
      'The package never arrived, tracking says in transit for a week',
      'Parcels never arrive: order {order} stuck in tracking',
      'Customer says the parcel never arrived although tracking shows shipped',
    ],
  },
  {
    id: 'damaged-box',
    department: 'shipping',
    weight: 6,
    severity: 'normal',
    wordings: [
      'Delivery arrived in a damaged box, the {product} is scratched',
      'The box was damaged in delivery and the {product} broke',
      'Damaged parcel: box crushed, {product} bent',
      'Damaged box on arrival, customer sent photos',
      'Box arrived crushed and damaged by the courier',
    ],
  },
  {
    id: 'wrong-item',
    department: 'shipping',
    weight: 6,
    severity: 'normal',
    wordings: [
      'Wrong item in the parcel, size M instead of L',
      'Received the wrong item: a blue {product} instead of a green one',
      'Order {order} contained the wrong item',
      'The wrong size was sent, customer ordered L and got M',
      'Wrong items packed in order {order}',
    ],
  },
  {
    id: 'late-delivery',
    department: 'shipping',
    weight: 7,
    severity: 'normal',
    wordings: [
      'Delivery was late, shipping took {days} days',
      'Shipping took {days} days instead of two, the customer missed the trip',
      'Late delivery again, order {order} took over a week',
      'Order arrived late, {days} days of shipping',
      'The delivery came {days} days late, too late for the hike',
    ],
  },
  {
    id: 'courier-neighbour',
    department: 'shipping',
    weight: 3,
    severity: 'low',
    wordings: [
      'Courier left the parcel at a neighbour without a note',
      'The courier left the package with the neighbour and no notice',
      'Parcel left at the neighbour, courier did not leave a note',
      'No note from the courier, the parcel was at a neighbour for days',
    ],
  },
  {
    id: 'shipping-cost',
    department: 'shipping',
    weight: 2,
    severity: 'low',
    wordings: [
      'Shipping costs are too high for small orders',
      'Customer finds the shipping cost of 9 euros too high',
      'High shipping costs for one small item',
    ],
  },
  {
    id: 'zipper',
    department: 'product',
    weight: 8,
    severity: 'normal',
    wordings: [
      'Zipper on the Alpine 40 backpack broke after two hikes',
      'The backpack zipper broke on the first trip',
      'Broken zipper on the Alpine 40, customer wants a warranty repair',
      'Zippers on the Alpine backpacks break after a few uses',
      'Alpine 40 zipper broken after {days} days of use',
      'Backpack zip broke, customer asks for a replacement',
    ],
  },
  {
    id: 'jacket-leak',
    department: 'product',
    weight: 7,
    severity: 'normal',
    wordings: [
      'Rain jacket is not waterproof at the seams',
      'The rain jacket leaks at the seams after one storm',
      'Water comes through the jacket seams in the rain',
      'Jacket not waterproof, the seams leak',
      'Rain jackets leaking at the shoulder seams',
    ],
  },
  {
    id: 'boot-sizing',
    department: 'product',
    weight: 5,
    severity: 'low',
    wordings: [
      'Trail Runner boots run small, customer needs a size up',
      'Sizing of the Trail Runner boots is too small',
      'The boots run one size small, the size chart is wrong',
      'Boot sizing is off: Trail Runner size 42 fits like 41',
    ],
  },
  {
    id: 'stove',
    department: 'product',
    weight: 5,
    severity: 'high',
    wordings: [
      'Camping stove stopped working after the first use',
      'The stove stopped working on the second day of the trip',
      'Camping stoves stop working after a few uses, the igniter fails',
      'Stove igniter stopped working, customer could not cook',
    ],
  },
  {
    id: 'sleeping-bag-seam',
    department: 'product',
    weight: 4,
    severity: 'normal',
    wordings: [
      'Sleeping bag seam fell apart on the second night',
      'The seam of the sleeping bag fell apart after one trip',
      'Sleeping bags falling apart at the seams',
      'Seam on the sleeping bag came apart, down everywhere',
    ],
  },
  {
    id: 'tent-pole',
    department: 'product',
    weight: 4,
    severity: 'normal',
    wordings: [
      'Tent pole snapped in the wind on the first night',
      'The tent poles snapped when pitching the tent',
      'Snapped tent pole, customer needs a replacement pole',
      'Tent pole broke and snapped in light wind',
    ],
  },
  {
    id: 'headlamp-battery',
    department: 'product',
    weight: 3,
    severity: 'low',
    wordings: [
      'Headlamp battery dies after an hour',
      'The headlamp battery does not hold a charge',
      'Headlamp batteries drain overnight even when switched off',
    ],
  },
  {
    id: 'password-reset',
    department: 'support',
    weight: 6,
    severity: 'normal',
    wordings: [
      'Password reset email never arrives, customer cannot login',
      'Customer cannot log in, the password reset email does not come',
      'No password reset email, locked out of the account',
      'Login fails and the reset password email never comes',
      'Password reset link never arrived, cannot access the account',
    ],
  },
  {
    id: 'live-chat',
    department: 'support',
    weight: 5,
    severity: 'normal',
    wordings: [
      'Nobody answered the live chat for an hour',
      'Live chat waiting time was over an hour',
      'The live chat was not answered, customer waited {days}0 minutes',
      'No answer in the live chat all afternoon',
    ],
  },
  {
    id: 'no-reply-email',
    department: 'support',
    weight: 4,
    severity: 'normal',
    wordings: [
      'No reply to the email sent {days} days ago',
      'Customer emailed support twice and got no reply',
      'Support email still without a reply after {days} days',
      'No reply from support to several emails',
    ],
  },
  {
    id: 'rude-agent',
    department: 'support',
    weight: 2,
    severity: 'high',
    wordings: [
      'Customer says the phone agent was rude',
      'The agent on the phone was rude and hung up',
      'Rude answer from the support agent on the hotline',
    ],
  },
  {
    id: 'account-deleted',
    department: 'support',
    weight: 2,
    severity: 'normal',
    wordings: [
      'Customer wants the account deleted and all data removed',
      'Please delete my account and my data',
      'Account deletion request: remove all customer data',
    ],
  },
];

/** Said once in the month: they should stay out of the big themes. */
export const ONE_OFFS: readonly { text: string; department: DepartmentId; severity: Severity }[] = [
  { text: 'Gift card balance disappeared after a partial use', department: 'billing', severity: 'normal' },
  { text: 'Customer asks for an invoice in Italian', department: 'billing', severity: 'low' },
  { text: 'The kayak paddle arrived without its blade clips', department: 'shipping', severity: 'normal' },
  {
    text: 'Pallet delivery for the scout group blocked the driveway',
    department: 'shipping',
    severity: 'low',
  },
  { text: 'Compass needle points south in the cold', department: 'product', severity: 'normal' },
  { text: 'Water filter leaves a plastic taste', department: 'product', severity: 'low' },
  { text: 'Trekking poles lock loosens on descents', department: 'product', severity: 'high' },
  { text: 'Child carrier buckle pinched a finger', department: 'product', severity: 'urgent' },
  { text: 'Newsletter unsubscribe link leads to a 404 page', department: 'support', severity: 'low' },
  { text: 'The store opening hours on Google are outdated', department: 'support', severity: 'low' },
  { text: 'Loyalty points vanished from the profile', department: 'support', severity: 'normal' },
  { text: 'Customer wants to speak German on the hotline', department: 'support', severity: 'low' },
];

export const PRAISE: readonly string[] = [
  'Customer loves the new catalogue',
  'Great service in the Munich store, thank you to the staff',
  'The Alpine 40 backpack survived a month in Patagonia, customer is delighted',
  'Fast delivery, arrived the next day, well packed',
  'Thanks for the quick refund, very happy',
  'The repair service fixed the tent perfectly',
];

export const QUESTIONS: readonly { text: string; department: DepartmentId }[] = [
  { text: 'Do you ship to Switzerland and who pays the customs?', department: 'shipping' },
  { text: 'Is there a printed copy of the catalogue?', department: 'support' },
  { text: 'Can the Alpine 40 be carried as cabin luggage?', department: 'product' },
  { text: 'Can I pay an order by bank transfer?', department: 'billing' },
  { text: 'When will the winter sleeping bag be back in stock?', department: 'product' },
];

/** Words reps add around what the customer said. */
export const CONTEXT_BEFORE: readonly string[] = [
  'Customer called:',
  'Via chat:',
  'Email from a long-time customer:',
  'Second contact about this:',
  'Urgent, customer on the phone:',
];
export const CONTEXT_AFTER: readonly string[] = [
  'and is quite upset',
  ', please call her back',
  ', he wants an answer today',
  '(customer since 2019)',
  ', third time this month',
  ', photos attached in the email',
];

export const PRODUCTS: readonly string[] = ['tent', 'boots', 'jacket', 'backpack', 'stove', 'sleeping bag'];

/** Customers; the first few complain often, so they become at risk (three complaints in 30 days). */
export const CUSTOMERS: readonly string[] = [
  'Dana Reyes, acct 48213',
  'Jonas Weber, acct 11820',
  'Scout group Lindau, acct 30077',
  'Mira Koch',
  'Tom Hansen',
  'Ana Silva',
  'Lukas Meyer',
  'Eva Novak',
  'Peter Brown',
  'Sara Ruiz',
  'Nils Berg',
  'Olga Petrova',
  'Chen Wei',
  'Marta Lopez',
  'Felix Wagner',
  'Ines Costa',
  'Yusuf Demir',
  'Hanna Becker',
  'Liam Murphy',
  'Zoe Martin',
];
