#include "catalog/MitigationSnippets.h"

namespace im::catalog {
using nlohmann::json;

MitigationSnippets MitigationSnippets::overriddenBy(const MitigationSnippets &Over) const {
  MitigationSnippets R = *this;
  for (auto [Mine, Theirs] : {std::pair{&R.Success, &Over.Success}, {&R.Timeout, &Over.Timeout},
                              {&R.Retry, &Over.Retry}, {&R.Health, &Over.Health},
                              {&R.Fallback, &Over.Fallback}})
    if (!Theirs->empty())
      *Mine = *Theirs;
  return R;
}

std::vector<std::pair<std::string, std::string>> parseMitigations(const json &J,
                                                                  MitigationSnippets &Out) {
  std::vector<std::pair<std::string, std::string>> Problems;
  if (!J.is_object()) {
    Problems.push_back({"", "expected an object with success, timeout, retry, health or fallback"});
    return Problems;
  }
  const std::pair<const char *, std::string *> Fields[] = {{"success", &Out.Success},
                                                           {"timeout", &Out.Timeout},
                                                           {"retry", &Out.Retry},
                                                           {"health", &Out.Health},
                                                           {"fallback", &Out.Fallback}};
  for (auto It = J.begin(); It != J.end(); ++It) {
    std::string *Slot = nullptr;
    for (const auto &[Name, Field] : Fields)
      if (It.key() == Name)
        Slot = Field;
    if (!Slot)
      Problems.push_back({"." + It.key(), "unknown field (expected success, timeout, retry, health or fallback)"});
    else if (!It->is_string() || It->get<std::string>().empty())
      Problems.push_back({"." + It.key(), "expected C++ text, with {handle} for the call's handle"});
    else
      *Slot = It->get<std::string>();
  }
  return Problems;
}

std::string expandSnippet(std::string S, const std::string &Handle, const std::string &HandleType) {
  const std::string Key = "{handle}";
  bool Pointer = HandleType == "pointer" || HandleType == "smart_pointer";
  std::string Out;
  for (size_t P = 0;;) {
    size_t At = S.find(Key, P);
    if (At == std::string::npos) {
      Out += S.substr(P);
      break;
    }
    Out += S.substr(P, At - P);
    size_t After = At + Key.size();
    bool Dot = S.compare(After, 1, ".") == 0;
    bool Arrow = S.compare(After, 2, "->") == 0;
    if ((Dot || Arrow) && !HandleType.empty()) {
      Out += Handle + (Pointer ? "->" : ".");
      After += Dot ? 1 : 2;
    } else {
      Out += Handle;
      if (!Dot && !Arrow && HandleType == "smart_pointer")
        Out += ".get()";
    }
    P = After;
  }
  return Out;
}

} // namespace im::catalog
