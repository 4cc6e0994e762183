import {
  BinaryOperationNode,
  type KyselyPlugin,
  OperationNodeTransformer,
  OperatorNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  ValueListNode,
  ValueNode,
} from 'kysely'

/** `x IN ()` is a syntax error in PostgreSQL: an empty list matches nothing, `NOT IN ()` everything. */
class EmptyListTransformer extends OperationNodeTransformer {
  protected override transformBinaryOperation(node: BinaryOperationNode): BinaryOperationNode {
    const operator = OperatorNode.is(node.operator) ? node.operator.operator : undefined
    const right = node.rightOperand
    const empty =
      (ValueListNode.is(right) && right.values.length === 0) ||
      (PrimitiveValueListNode.is(right) && right.values.length === 0)
    if (empty && (operator === 'in' || operator === 'not in')) {
      const truth = operator === 'not in' ? 1 : 0
      return BinaryOperationNode.create(
        ValueNode.createImmediate(1),
        OperatorNode.create('='),
        ValueNode.createImmediate(truth),
      )
    }
    return super.transformBinaryOperation(node)
  }
}

/**
 * Makes `where(column, 'in', [])` mean what it says everywhere (no row; `not in []`: every row) instead of
 * failing as SQL — a filter that resolves to no values (an unknown region's subtree) must answer an empty
 * list, never a 500.
 */
export class EmptyListPlugin implements KyselyPlugin {
  private readonly transformer = new EmptyListTransformer()

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node)
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}
