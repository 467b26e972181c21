#include "Console.h"

#include "support/Utf8.h"

namespace im::cli {

namespace {
/// Forwards each write to `To` with malformed UTF-8 replaced. Unbuffered, so a
/// write is one piece as the caller wrote it (a whole path or message), never
/// a multibyte character cut in two by a buffer boundary.
class Utf8Ostream final : public llvm::raw_ostream {
public:
  explicit Utf8Ostream(llvm::raw_ostream &To) : raw_ostream(/*unbuffered=*/true), To(To) {}
  ~Utf8Ostream() override { To.flush(); }

private:
  void write_impl(const char *Ptr, size_t Size) override {
    To << support::validUtf8(std::string_view(Ptr, Size));
  }
  uint64_t current_pos() const override { return To.tell(); }

  llvm::raw_ostream &To;
};
} // namespace

llvm::raw_ostream &out() {
  static Utf8Ostream S(llvm::outs());
  return S;
}

llvm::raw_ostream &err() {
  static Utf8Ostream S(llvm::errs());
  return S;
}

} // namespace im::cli
