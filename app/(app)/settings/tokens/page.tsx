import { TokenManager } from "@/app/_components/token-manager";

export default function TokensPage() {
  return (
    <>
      <div className="page-head">
        <h1>API tokens</h1>
        <p className="muted">
          For scripts and other programs: send a token as <code>Authorization: Bearer &lt;token&gt;</code> and it acts
          as you, seeing only your jobs. Revoke a token and it stops working at once.
        </p>
      </div>
      <TokenManager />
    </>
  );
}
