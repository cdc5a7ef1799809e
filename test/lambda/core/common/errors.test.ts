import { lambdaErrorEnvelope } from '../../../../lambda/core/common/errors';

describe('lambdaErrorEnvelope', () => {
  it("reads the type and message of Lambda's JSON error envelope", () => {
    // GIVEN
    const cause = JSON.stringify({ errorType: 'ModelError', errorMessage: 'bad input', trace: ['at x'] });
    // WHEN / THEN
    expect(lambdaErrorEnvelope(cause)).toEqual({ type: 'ModelError', message: 'bad input' });
  });

  it('reads the message of an envelope without a type', () => {
    expect(lambdaErrorEnvelope('{"errorMessage":"out of memory"}')).toEqual({ message: 'out of memory' });
  });

  it('is undefined for a cause that is a sentence, other JSON, or JSON null', () => {
    expect(lambdaErrorEnvelope('Training job j failed: AlgorithmError')).toBeUndefined();
    expect(lambdaErrorEnvelope('{"not":"an envelope"}')).toBeUndefined();
    expect(lambdaErrorEnvelope('null')).toBeUndefined();
  });
});
