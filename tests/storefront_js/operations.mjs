// The storefront's operations, as the README's "A full storefront checkout" shows them.
// Each client gets its own copy with the client's name in the operation names: the server
// keeps persisted documents per process, so without that the second client would find the
// first one's documents already registered and its APQ miss would never be exercised.

import { gql } from "@apollo/client";

const ORDER_FIELDS = `
  id number status paymentStatus email
  subtotal { amount currency } discountTotal { amount } shippingTotal { amount }
  taxTotal { amount } shippingTax { amount } total { amount currency }
  lines { sku quantity discount { amount } tax { amount } taxRate }
  shippingAddress { name city region country }
`;

export function operations(client) {
  const named = (text) => gql(text.replaceAll("$CLIENT", client));
  return {
    register: named(`mutation Register_$CLIENT($input: RegisterInput!) {
      register(input: $input) { token me { id email name } userErrors { field code message } }
    }`),
    login: named(`mutation Login_$CLIENT($email: String!, $password: String!) {
      login(email: $email, password: $password) { token me { id email } userErrors { field code message } }
    }`),
    createAddress: named(`mutation CreateAddress_$CLIENT($input: AddressInput!) {
      createAddress(input: $input) {
        address { id address { name line1 city region postalCode country } }
        userErrors { field code message }
      }
    }`),
    me: named(`query Me_$CLIENT {
      me {
        id email name
        addresses { id address { city region country } }
        defaultShippingAddress { id }
        defaultBillingAddress { id }
        orders(first: 10) { totalCount edges { node { number status paymentStatus total { amount } } } }
      }
    }`),
    priceCart: named(`query PriceCart_$CLIENT($input: CartInput!) {
      priceCart(input: $input) {
        lines { sku quantity total { amount } discount { amount } tax { amount } taxRate gross { amount } }
        subtotal { amount currency } discountTotal { amount } shippingTotal { amount }
        taxTotal { amount } shippingTax { amount } total { amount currency }
        pricesIncludeTax shippingMethodRequired
        shippingMethods { code name price { amount } }
        taxLines { name rate taxable { amount } tax { amount } }
        userErrors { field code message }
      }
    }`),
    placeOrder: named(`mutation PlaceOrder_$CLIENT($input: PlaceOrderInput!) {
      placeOrder(input: $input) {
        order { ${ORDER_FIELDS} }
        orderToken
        payment { gateway clientSecret amount { amount currency } }
        userErrors { field code message }
      }
    }`),
    orderByToken: named(`query OrderByToken_$CLIENT($token: String!) {
      order(token: $token) {
        ${ORDER_FIELDS}
        fulfillments {
          productType status
          details { ... on DigitalDelivery { downloads { fileName url downloadsRemaining } } }
        }
      }
    }`),
    orderUpdated: named(`subscription OrderUpdated_$CLIENT($id: ID, $token: String) {
      orderUpdated(id: $id, token: $token) { id number status paymentStatus }
    }`),
  };
}
