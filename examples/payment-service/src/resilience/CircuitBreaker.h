#pragma once
#include <chrono>

namespace shop::resilience {

// Opens after `threshold` consecutive failures and lets one trial call through
// after `cooldown`.
class CircuitBreaker {
public:
  CircuitBreaker(int threshold, std::chrono::seconds cooldown)
      : threshold_(threshold), cooldown_(cooldown) {}

  template <class F> bool call(F &&operation) {
    if (!allow())
      return false;
    bool ok = operation();
    record(ok);
    return ok;
  }

  bool allow() {
    if (state_ == State::Open && std::chrono::steady_clock::now() >= openedAt_ + cooldown_)
      state_ = State::HalfOpen;
    return state_ != State::Open;
  }

private:
  enum class State { Closed, Open, HalfOpen };
  void record(bool ok) {
    if (ok) {
      failures_ = 0;
      state_ = State::Closed;
    } else if (++failures_ >= threshold_ || state_ == State::HalfOpen) {
      state_ = State::Open;
      openedAt_ = std::chrono::steady_clock::now();
    }
  }

  State state_ = State::Closed;
  int failures_ = 0;
  int threshold_;
  std::chrono::seconds cooldown_;
  std::chrono::steady_clock::time_point openedAt_;
};

} // namespace shop::resilience
