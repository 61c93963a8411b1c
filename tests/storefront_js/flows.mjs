// The storefront flows through Apollo Client and urql against a live oms server (run by
// tests/test_storefront_clients.py, which starts the server and reads our exit code).
//
//   OMS_URL=http://127.0.0.1:PORT STAFF_EMAIL=... STAFF_PASSWORD=... DOWNLOAD_TEXT=... node flows.mjs
//
// Staff set the shop up with plain fetch (a storefront never does that): a US zone with a
// 5.00 standard rate, a 10 % NY sales tax, the code WELCOME10 (10 % off), a mug (12.00) and
// an e-book (10.00, its file written by the test). Then each client runs, through its own
// APQ link and graphql-ws: a customer (register, login, address book, priceCart with the
// code, placeOrder with the saved address and the code, paid by staff, seen live, order by
// token, me.orders, the download) and a guest checkout. Any failure prints the client and
// step and exits 1; success prints one line "STOREFRONT OK {summary json}".

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";

import { WireLog, apolloClient, urqlClient } from "./clients.mjs";
import { operations } from "./operations.mjs";

const BASE = process.env.OMS_URL;
const STAFF = { email: process.env.STAFF_EMAIL, password: process.env.STAFF_PASSWORD };
const DOWNLOAD_TEXT = process.env.DOWNLOAD_TEXT;
const CODE = "WELCOME10";
const NEW_YORK = { name: "Grace Hopper", line1: "1 Broadway", city: "New York", region: "NY", postalCode: "10004", country: "US" };

let step = "start";

// --- staff set-up, plain fetch -------------------------------------------------------------

async function staffCall(token, query, variables = {}) {
  const response = await fetch(`${BASE}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  const [payload] = Object.values(body.data);
  if (payload && payload.userErrors) assert.deepEqual(payload.userErrors, [], `${query}: ${JSON.stringify(payload)}`);
  return body.data;
}

async function setUpShop() {
  step = "staff: login";
  const { login } = await staffCall(null, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token userErrors { code message } } }`, { e: STAFF.email, p: STAFF.password });
  const staff = login.token;
  step = "staff: catalog";
  const product = `mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { field code message } } }`;
  await staffCall(staff, product, { input: { name: "Enamel mug", productType: "physical", variants: [{ sku: "MUG", price: "12.00", attributes: { weight_grams: 350 } }] } });
  await staffCall(staff, product, { input: { name: "The guide", productType: "digital", variants: [{ sku: "EBOOK", price: "10.00", attributes: { file: "books/guide.txt", file_name: "guide.txt" } }] } });
  await staffCall(staff, `mutation { setStock(input: {sku: "MUG", quantity: 50}) { userErrors { field code message } } }`);
  step = "staff: shipping zone, tax rate, discount code";
  await staffCall(staff, `mutation { createShippingZone(input: {name: "US", countries: ["US"], methods: [{code: "standard", name: "Ground", price: "5.00"}]}) { userErrors { field code message } } }`);
  await staffCall(staff, `mutation { createTaxRate(input: {name: "NY sales tax", country: "US", region: "NY", rate: "10"}) { userErrors { field code message } } }`);
  await staffCall(staff, `mutation { createDiscountCode(input: {code: "${CODE}", percentage: "10", usageLimit: 10, usageLimitPerCustomer: 1}) { userErrors { field code message } } }`);
  return staff;
}

async function markPaid(staff, orderId) {
  await staffCall(staff, `mutation($id: ID!) { markOrderPaid(id: $id) { order { paymentStatus } userErrors { field code message } } }`, { id: orderId });
}

/** Another change to a paid order, for a subscription that was not listening yet. */
async function shipOneMug(staff, orderId) {
  const { order } = await staffCall(staff, `query($id: ID!) { order(id: $id) { lines { id sku } } }`, { id: orderId });
  const mug = order.lines.find((line) => line.sku === "MUG");
  await staffCall(staff, `mutation($input: CreateShipmentInput!) { createShipment(input: $input) { userErrors { field code message } } }`,
    { input: { orderId, lines: [{ lineId: mug.id, quantity: 1 }], carrier: "ups", trackingNumber: "1Z999AA10123456784" } });
}

// --- helpers -------------------------------------------------------------------------------

const amount = (money) => money.amount;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Subscribe to orderUpdated, let `change()` happen, wait for a push showing PAID. A push
 * needs the subscription registered first, which a client cannot see: if nothing came
 * within 3 s, staff change the order again (a shipment of the mug) and it must come then. */
async function seePaidLive(client, variables, change, changeAgain) {
  const pushes = [];
  let failure = null;
  let changedAgain = false;
  const unsubscribe = client.subscribe(client.ops.orderUpdated, variables,
    (data) => pushes.push(data.orderUpdated), (error) => { failure = error; });
  try {
    await sleep(300);
    await change();
    const paid = () => pushes.some((order) => order.paymentStatus === "PAID");
    for (let waited = 0; !paid() && !failure && waited < 15000; waited += 100) {
      if (waited === 3000) {
        changedAgain = true;
        await changeAgain();
      }
      await sleep(100);
    }
    if (failure) throw failure;
    assert.ok(paid(), `no orderUpdated push with PAID; pushes: ${JSON.stringify(pushes)}`);
    return { pushes, changedAgain };
  } finally {
    unsubscribe();
  }
}

async function downloadFromOrder(client, token) {
  // Delivery runs in the server's job worker right after payment: wait for the link.
  for (let tries = 0; tries < 100; tries++) {
    const { order } = await client.query(client.ops.orderByToken, { token });
    const digital = order.fulfillments.find((f) => f.productType === "digital");
    const downloads = digital?.details?.downloads ?? [];
    if (downloads.length) {
      // The link starts with OMS_PUBLIC_URL; this server's address is ours.
      const link = new URL(downloads[0].url);
      const response = await fetch(`${BASE}${link.pathname}${link.search}`);
      assert.equal(response.status, 200, `download answered ${response.status}`);
      assert.equal(await response.text(), DOWNLOAD_TEXT);
      return downloads[0].fileName;
    }
    await sleep(100);
  }
  throw new Error("no download link 10 s after payment");
}

// --- the flows -----------------------------------------------------------------------------

async function customerFlow(client, staff) {
  const ops = client.ops;
  const email = `ada-${client.name}@example.com`;
  const password = "correct horse battery";

  step = "register";
  const { register } = await client.mutate(ops.register, { input: { email, password, name: "Ada" } });
  assert.deepEqual(register.userErrors, []);
  step = "login";
  const { login } = await client.mutate(ops.login, { email, password });
  assert.deepEqual(login.userErrors, []);
  assert.equal(login.me.email, email);
  client.session.token = login.token;

  step = "createAddress (address book)";
  const { createAddress } = await client.mutate(ops.createAddress, { input: NEW_YORK });
  assert.deepEqual(createAddress.userErrors, []);
  const addressId = createAddress.address.id;
  const { me } = await client.query(ops.me);
  assert.deepEqual(me.addresses.map((a) => a.id), [addressId]);
  assert.equal(me.defaultShippingAddress.id, addressId, "the first address is the default");

  const lines = [{ sku: "MUG", quantity: 2 }, { sku: "EBOOK", quantity: 1 }];
  step = "priceCart with the saved address and the code";
  const { priceCart: quote } = await client.query(ops.priceCart, {
    input: { lines, shippingAddressId: addressId, shippingMethod: "standard", discountCodes: [CODE.toLowerCase()] },
  });
  assert.deepEqual(quote.userErrors, []);
  // By hand: 24.00 + 10.00 = 34.00; 10 % off split 2.40 / 1.00; NY 10 % on 21.60, 9.00 and
  // shipping 5.00: 2.16 + 0.90 + 0.50 = 3.56; total 34.00 - 3.40 + 5.00 + 3.56 = 39.16.
  assert.deepEqual(quote.lines.map((l) => [l.sku, amount(l.discount), amount(l.tax), Number(l.taxRate)]),
    [["MUG", "2.40", "2.16", 10], ["EBOOK", "1.00", "0.90", 10]]);
  assert.deepEqual([quote.subtotal.amount, quote.discountTotal.amount, quote.shippingTotal.amount,
    quote.shippingTax.amount, quote.taxTotal.amount, quote.total.amount],
  ["34.00", "3.40", "5.00", "0.50", "3.56", "39.16"]);
  assert.equal(quote.pricesIncludeTax, false);

  step = "placeOrder with the saved address id and the code";
  const { placeOrder } = await client.mutate(ops.placeOrder, {
    input: { lines, shippingAddressId: addressId, billingAddressId: addressId, shippingMethod: "standard",
      discountCodes: [CODE], idempotencyKey: randomUUID() },
  });
  assert.deepEqual(placeOrder.userErrors, []);
  const order = placeOrder.order;
  assert.equal(order.email, email);
  assert.equal(order.status, "PENDING_PAYMENT");
  const { name, city, region, country } = order.shippingAddress;  // (Apollo adds __typename)
  assert.deepEqual({ name, city, region, country }, { name: "Grace Hopper", city: "New York", region: "NY", country: "US" });
  assert.deepEqual([order.discountTotal.amount, order.taxTotal.amount, order.total.amount], ["3.40", "3.56", "39.16"]);
  assert.equal(placeOrder.payment.amount.amount, "39.16", "the payment is the gross");

  step = "pay (staff, manual gateway) and see it live over graphql-ws";
  const { pushes, changedAgain } = await seePaidLive(client, { id: order.id }, () => markPaid(staff, order.id),
    () => shipOneMug(staff, order.id));
  assert.ok(pushes.every((p) => p.id === order.id));

  step = "order by token";
  const { order: byToken } = await client.query(ops.orderByToken, { token: placeOrder.orderToken });
  assert.equal(byToken.number, order.number);
  assert.equal(byToken.paymentStatus, "PAID");
  step = "me { orders }";
  const { me: after } = await client.query(ops.me);
  assert.deepEqual(after.orders.edges.map((e) => [e.node.number, e.node.paymentStatus, e.node.total.amount]),
    [[order.number, "PAID", "39.16"]]);
  step = "download link";
  const fileName = await downloadFromOrder(client, placeOrder.orderToken);
  client.session.token = null;
  return { order: order.number, total: order.total.amount, pushes: pushes.length, changedAgain, fileName };
}

async function guestFlow(client, staff) {
  const ops = client.ops;
  const lines = [{ sku: "MUG", quantity: 1 }, { sku: "EBOOK", quantity: 1 }];
  const cart = { lines, shippingAddress: NEW_YORK, shippingMethod: "standard" };
  step = "guest: priceCart";
  const { priceCart: quote } = await client.query(ops.priceCart, { input: cart });
  assert.deepEqual(quote.userErrors, []);
  // 12.00 + 10.00 + 5.00, tax 1.20 + 1.00 + 0.50 = 2.70: 29.70.
  assert.deepEqual([quote.taxTotal.amount, quote.total.amount], ["2.70", "29.70"]);
  step = "guest: placeOrder";
  const email = `guest-${client.name}@example.com`;
  const { placeOrder } = await client.mutate(ops.placeOrder, { input: { ...cart, email, idempotencyKey: randomUUID() } });
  assert.deepEqual(placeOrder.userErrors, []);
  assert.equal(placeOrder.order.total.amount, "29.70");
  const token = placeOrder.orderToken;
  assert.ok(token, "a guest gets the order token");
  step = "guest: pay and follow by token over graphql-ws";
  const id = placeOrder.order.id;
  const { pushes, changedAgain } = await seePaidLive(client, { token }, () => markPaid(staff, id),
    () => shipOneMug(staff, id));
  step = "guest: order by token";
  const { order } = await client.query(ops.orderByToken, { token });
  assert.equal(order.email, email);
  assert.equal(order.paymentStatus, "PAID");
  step = "guest: download link";
  await downloadFromOrder(client, token);
  return { order: order.number, total: order.total.amount, pushes: pushes.length, changedAgain };
}

async function main() {
  assert.ok(BASE && STAFF.email && DOWNLOAD_TEXT, "OMS_URL, STAFF_EMAIL, STAFF_PASSWORD, DOWNLOAD_TEXT are required");
  const staff = await setUpShop();
  const summary = {};
  for (const make of [apolloClient, urqlClient]) {
    const session = { token: null };
    const client = make(BASE, session, new WireLog());
    client.session = session;
    client.ops = operations(client.name);
    try {
      const customer = await customerFlow(client, staff);
      const guest = await guestFlow(client, staff);
      step = "APQ seen on the wire";
      const apq = client.wire.apqSummary();
      assert.ok(apq.registeredAfterNotFound >= 1, `no PERSISTED_QUERY_NOT_FOUND then registration: ${JSON.stringify(client.wire.entries)}`);
      assert.ok(apq.hashOnlyHits >= 1, `no hash-only request answered from the server's cache: ${JSON.stringify(apq)}`);
      assert.equal(apq.withoutHash, 0, "every storefront request carries its hash");
      summary[client.name] = { customer, guest, apq };
    } catch (error) {
      error.where = `[${client.name}] step "${step}"`;
      throw error;
    } finally {
      await client.close();
    }
  }
  console.log(`STOREFRONT OK ${JSON.stringify(summary)}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`STOREFRONT FAILED ${error.where ?? `step "${step}"`}: ${error.stack || error}`);
    process.exit(1);
  },
);
