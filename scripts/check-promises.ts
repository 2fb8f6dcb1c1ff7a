// Finds promises that are dropped or tested for truth instead of awaited: a store call without `await`
// runs at once on SQLite but not on PostgreSQL, so the tests on SQLite alone would not see it.
// Uses the TypeScript checker over the project (tsconfig.json); prints each finding and exits 1 if any.
// `void promise` marks a promise left to run on purpose; a value that is a promise or null may be tested.
import ts from "typescript";

const configPath = ts.findConfigFile(process.cwd(), ts.sys.fileExists, "tsconfig.json")!;
const parsed = ts.parseJsonConfigFileContent(
  ts.readConfigFile(configPath, ts.sys.readFile).config,
  ts.sys,
  process.cwd(),
);
const program = ts.createProgram(parsed.fileNames, parsed.options);
const checker = program.getTypeChecker();
const findings: string[] = [];

const isPromise = (node: ts.Expression) => isPromiseType(checker.getTypeAtLocation(node));
const isPromiseType = (type: ts.Type) => {
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => !!checker.getPropertyOfType(t, "then") && !!checker.getPropertyOfType(t, "catch"));
};

const isAssignment = (e: ts.Expression) =>
  ts.isBinaryExpression(e) &&
  e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
  e.operatorToken.kind <= ts.SyntaxKind.LastAssignment;

/** `p.then(…)`, `p.catch(…)`, `p.finally(…)`: the chain handles it */
const isHandled = (e: ts.Expression) =>
  ts.isCallExpression(e) &&
  ts.isPropertyAccessExpression(e.expression) &&
  ["then", "catch", "finally"].includes(e.expression.name.text);

function report(node: ts.Node, what: string) {
  const sf = node.getSourceFile();
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
  findings.push(`${sf.fileName.replace(`${process.cwd()}/`, "")}:${line + 1}: ${what}: ${node.getText().slice(0, 80)}`);
}

function visit(node: ts.Node) {
  if (ts.isExpressionStatement(node)) {
    const e = node.expression;
    if (!ts.isAwaitExpression(e) && !ts.isVoidExpression(e) && !isAssignment(e) && !isHandled(e) && isPromise(e))
      report(e, "promise dropped");
  } else if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    if (isPromise(node.operand)) report(node, "promise tested for truth");
  } else if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    const logical =
      op === ts.SyntaxKind.AmpersandAmpersandToken ||
      op === ts.SyntaxKind.BarBarToken ||
      op === ts.SyntaxKind.QuestionQuestionToken;
    if (logical && isPromise(node.left)) report(node, "promise tested for truth");
  } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    // an async callback where a value is wanted: find(async …) finds the first element, always
    const method = node.expression.name.text;
    const fn = node.arguments[0];
    const valued = ["find", "findIndex", "findLast", "filter", "some", "every", "sort", "forEach", "reduce"];
    if (valued.includes(method) && fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
      const sig = checker.getSignatureFromDeclaration(fn);
      if (sig && isPromiseType(checker.getReturnTypeOfSignature(sig))) report(fn, `async callback given to ${method}`);
    }
  }
  if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments) {
    // a promise handed where any value will do (Response.json(p), JSON.stringify(p)): serialised as {}
    const sig = checker.getResolvedSignature(node);
    node.arguments.forEach((arg, i) => {
      const param = sig?.parameters[Math.min(i, (sig?.parameters.length ?? 1) - 1)];
      if (!param || !isPromise(arg)) return;
      const type = checker.getTypeOfSymbolAtLocation(param, node);
      if (type.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) report(arg, "promise passed as a plain value");
    });
  }
  if (ts.isConditionalExpression(node) || ts.isIfStatement(node) || ts.isWhileStatement(node)) {
    const cond = ts.isConditionalExpression(node) ? node.condition : node.expression;
    if (isPromise(cond)) report(cond, "promise tested for truth");
  }
  ts.forEachChild(node, visit);
}

for (const sf of program.getSourceFiles()) if (/\/(src|views)\//.test(sf.fileName) && !sf.isDeclarationFile) visit(sf);
for (const f of findings) console.error(f);
if (findings.length) {
  console.error(`check-promises: ${findings.length} promise(s) not awaited (await them, or write void if meant)`);
  process.exit(1);
}
