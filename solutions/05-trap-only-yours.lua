function priceOf(d)
  d:addCallback(function(product)
    if product.price == nil then error(ValueError("no price for " .. product.name)) end
    return product.price
  end)
  d:addErrback(function(f)
    f:trap(KeyError)   -- anything that is not a KeyError is re-raised unchanged
    return 0           -- a missing product costs nothing
  end)
  return d
end
