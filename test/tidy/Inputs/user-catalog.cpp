namespace acme {
struct Ledger { void setDeadline(int ms); int post(const char *entry); };
}
int book(acme::Ledger &l) {
  l.setDeadline(1500);
  return l.post("x");
}
int unbounded(acme::Ledger &l) {
  return l.post("y");
}
