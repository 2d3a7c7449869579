using System.Net;

namespace TagOlym.Core.Tracking;

/// <summary>A tracking store refused a request. <see cref="ErrorCode"/> is MLflow's <c>error_code</c> when it sent one.</summary>
public class MlflowException : Exception
{
    public MlflowException()
    {
    }

    public MlflowException(string message)
        : base(message)
    {
    }

    public MlflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MlflowException(string message, string? errorCode, HttpStatusCode? statusCode)
        : base(message)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    public string? ErrorCode { get; }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>The typed exception for an MLflow error code.</summary>
    public static MlflowException For(string? errorCode, string message, HttpStatusCode? statusCode = null) => errorCode switch
    {
        ResourceDoesNotExistException.Code => new ResourceDoesNotExistException(message, statusCode),
        ResourceAlreadyExistsException.Code => new ResourceAlreadyExistsException(message, statusCode),
        InvalidParameterValueException.Code => new InvalidParameterValueException(message, statusCode),
        _ => new MlflowException(message, errorCode, statusCode),
    };
}

/// <summary><c>RESOURCE_DOES_NOT_EXIST</c>: no such experiment, run, model, version or alias.</summary>
public sealed class ResourceDoesNotExistException : MlflowException
{
    public const string Code = "RESOURCE_DOES_NOT_EXIST";

    public ResourceDoesNotExistException()
    {
    }

    public ResourceDoesNotExistException(string message)
        : base(message, Code, null)
    {
    }

    public ResourceDoesNotExistException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ResourceDoesNotExistException(string message, HttpStatusCode? statusCode)
        : base(message, Code, statusCode)
    {
    }
}

/// <summary><c>RESOURCE_ALREADY_EXISTS</c>: an experiment or registered model of that name exists.</summary>
public sealed class ResourceAlreadyExistsException : MlflowException
{
    public const string Code = "RESOURCE_ALREADY_EXISTS";

    public ResourceAlreadyExistsException()
    {
    }

    public ResourceAlreadyExistsException(string message)
        : base(message, Code, null)
    {
    }

    public ResourceAlreadyExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ResourceAlreadyExistsException(string message, HttpStatusCode? statusCode)
        : base(message, Code, statusCode)
    {
    }
}

/// <summary><c>INVALID_PARAMETER_VALUE</c>: a missing or malformed field, or a param logged again with another value.</summary>
public sealed class InvalidParameterValueException : MlflowException
{
    public const string Code = "INVALID_PARAMETER_VALUE";

    public InvalidParameterValueException()
    {
    }

    public InvalidParameterValueException(string message)
        : base(message, Code, null)
    {
    }

    public InvalidParameterValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidParameterValueException(string message, HttpStatusCode? statusCode)
        : base(message, Code, statusCode)
    {
    }
}
