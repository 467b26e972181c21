#include "analysis/Integrations.h"
#include "analysis/Resolve.h"

#include <gtest/gtest.h>

using namespace im::analysis;

TEST(Seconds, UnitsAndFormatting) {
  im::model::Value V;
  V.K = im::model::Value::Kind::Int;
  V.Int = 2500;
  EXPECT_DOUBLE_EQ(*toSeconds(V, "ms"), 2.5);
  EXPECT_DOUBLE_EQ(*toSeconds(V, "s"), 2500);
  EXPECT_EQ(formatSeconds(2.5), "2.5 s");
  EXPECT_EQ(formatSeconds(0.25), "250 ms");
  EXPECT_EQ(formatSeconds(300), "5 min");
}

TEST(Endpoints, VendorsAndHosts) {
  auto P = parseEndpoint("https://API.Stripe.com/v1/charges");
  EXPECT_EQ(P.Scheme, "https");
  EXPECT_EQ(P.Host, "api.stripe.com");
  ASSERT_NE(vendorForHost(P.Host), nullptr);
  EXPECT_EQ(vendorForHost(P.Host)->Name, "Stripe Payment Gateway");
  EXPECT_EQ(vendorForHost("notstripe.com"), nullptr) << "suffix must match a whole label";
  EXPECT_EQ(vendorForEnv("SENDGRID_API_KEY")->Name, "SendGrid");
  auto Db = parseEndpoint("host=orders-db dbname=orders");
  EXPECT_EQ(Db.Host, "orders-db");
  EXPECT_EQ(Db.Database, "orders");
}
