// MIRROR HEADER, not the real cpr: Debian does not package cpr
// (https://github.com/libcpr/cpr), so the matcher tests compile against this
// minimal header that mirrors the shape of its public API (cpr 1.10: the
// free functions cpr::Get/Post/... taking typed options, cpr::Url, cpr::Timeout,
// cpr::ConnectTimeout, cpr::Session). Declarations only; nothing links to it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

namespace cpr {

struct Response {
  long status_code = 0;
  std::string text;
};

class Url {
public:
  Url() = default;
  Url(const char *raw) : str_(raw) {}
  Url(std::string raw) : str_(std::move(raw)) {}
  const std::string &str() const { return str_; }

private:
  std::string str_;
};

class Timeout {
public:
  Timeout(const std::chrono::milliseconds &duration) : ms{duration} {}
  Timeout(const std::int32_t &milliseconds) : ms{milliseconds} {}
  std::chrono::milliseconds ms;
};

class ConnectTimeout : public Timeout {
public:
  ConnectTimeout(const std::chrono::milliseconds &duration) : Timeout{duration} {}
  ConnectTimeout(const std::int32_t &milliseconds) : Timeout{milliseconds} {}
};

class Body {
public:
  Body(const char *raw) : str_(raw) {}
  Body(std::string raw) : str_(std::move(raw)) {}

private:
  std::string str_;
};

class Session {
public:
  void SetUrl(const Url &url);
  void SetTimeout(const Timeout &timeout);
  void SetConnectTimeout(const ConnectTimeout &timeout);
  Response Get();
  Response Post();
  Response Put();
  Response Delete();
};

template <typename... Ts> Response Get(Ts &&...ts);
template <typename... Ts> Response Post(Ts &&...ts);
template <typename... Ts> Response Put(Ts &&...ts);
template <typename... Ts> Response Patch(Ts &&...ts);
template <typename... Ts> Response Delete(Ts &&...ts);
template <typename... Ts> Response Head(Ts &&...ts);

} // namespace cpr
