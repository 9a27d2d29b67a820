import { PEOPLE } from './people.js';

/** What the demo's people say: feedback the rep forwards, thanks, resolution notes, channel chat. */

export const FEEDBACK = [
  'Customer was charged twice for order ORD-48213 and wants a refund today',
  'The invoice for the group booking shows the wrong VAT number',
  'Promo code SPRING20 was not applied at checkout, customer overcharged by 20 euros',
  'Refund for the returned tent has still not arrived after two weeks',
  'Credit card payment failed three times but the customer was charged anyway',
  'Parcel never arrived, tracking stuck at the depot since Monday',
  'Delivery came in a damaged box with a bent tent pole',
  'Courier left the parcel at the neighbour without a note, customer found it late',
  'Wrong item in the parcel: size M instead of L, trip is on Friday',
  'Shipping took nine days, the customer missed their hike',
  'Zipper on the Alpine 40 backpack broke after two hikes',
  'Rain jacket is not waterproof at the seams after one storm',
  'Sizing of the Trail Runner boots runs small, customer asks for a warranty swap',
  'Camping stove stopped working after the first use',
  'Sleeping bag seam fell apart on the second night',
  'Customer says nobody answered the live chat for an hour',
  'Password reset email never comes, customer cannot login to the account',
  'Customer loves the new catalogue and asks whether a printed copy exists',
] as const;

export const RESOLUTIONS = [
  'Refund issued and confirmed by email.',
  'Replacement sent by express courier, arrives tomorrow.',
  'Called the customer, explained the fix and offered a 10% voucher.',
  'Fixed in the checkout; the customer got the difference back.',
  'Warranty swap approved, return label sent.',
  'Reset the account and walked the customer through the login.',
] as const;

export const KUDOS: readonly (readonly [giver: string, text: string])[] = [
  [PEOPLE.rep, '@bea for the same-day refund that saved a very unhappy customer #customer-first'],
  [PEOPLE.rep, '@sam @sofia for re-packing the Friday order in twenty minutes #ownership'],
  [PEOPLE.supportLead, '@pia for finding the seam defect pattern across five reports #craft'],
  [PEOPLE.billingLead, '@rita for forwarding the double charge with every detail we needed #customer-first'],
  [PEOPLE.shippingLead, '@ben for fixing the VAT numbers before the month closed #ownership'],
  [PEOPLE.productLead, '@kai for the clear summary of warranty questions this week #craft'],
  [PEOPLE.manager, '@sofia for staying late to get the damaged delivery replaced #ownership'],
  [PEOPLE.billingMember, '@paul for explaining the zipper issue to the customer himself #customer-first'],
  [PEOPLE.shippingMember, '@rita for calming down a customer whose parcel went missing #customer-first'],
  [PEOPLE.productMember, '@bea for untangling the promo code refunds #craft'],
  [PEOPLE.productLead, '@rita for spotting that five zipper complaints were the same batch #craft'],
  [PEOPLE.billingMember, '@rita for the clearest refund request we have ever received #ownership'],
  [PEOPLE.supportLead, '@rita for covering the live chat on a packed Monday #ownership'],
  [PEOPLE.admin, '@kai for onboarding two new reps in one week #customer-first'],
];

export const GENERAL_CHAT: readonly (readonly [user: string, text: string])[] = [
  [PEOPLE.productMember, 'The new size chart for the Trail Runner boots is live on the shop :tada:'],
  [PEOPLE.shippingMember, 'Heads up: the courier strike is over, parcels are moving again.'],
];
